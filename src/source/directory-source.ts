import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FOLDERS, type ConfigSource, type SourceDescription } from './config-source.js';

/** Reads a config repository from a directory: what is on disk now, committed or not. */
export class DirectorySource implements ConfigSource {
  readonly description: SourceDescription;

  constructor(private readonly root: string) {
    this.description = { type: 'directory', root: path.resolve(root) };
  }

  async listFiles(): Promise<string[]> {
    const out: string[] = [];
    for (const folder of CONFIG_FOLDERS) {
      const entries = await readdir(path.join(this.root, folder), { recursive: true, withFileTypes: true }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
          throw error;
        },
      );
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const abs = path.join(entry.parentPath, entry.name);
        out.push(path.relative(this.root, abs).split(path.sep).join('/'));
      }
    }
    return out.sort();
  }

  async readFiles(paths: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    // Bounded concurrency: thousands of small files, without exhausting file descriptors.
    const queue = [...paths];
    const worker = async (): Promise<void> => {
      for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
        try {
          result.set(p, await readFile(path.join(this.root, p), 'utf8'));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, paths.length) }, worker));
    return result;
  }
}
