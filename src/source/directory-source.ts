import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
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

  /**
   * Synchronous reads: for thousands of small files they are several times faster than
   * fs.promises (no thread-pool round trip per file), and a load is one short burst.
   */
  async readFiles(paths: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const p of paths) {
      try {
        result.set(p, readFileSync(path.join(this.root, p), 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
      }
    }
    return result;
  }
}
