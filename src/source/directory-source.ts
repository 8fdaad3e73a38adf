import { lstatSync, openSync, readFileSync, closeSync, constants, fstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FOLDERS, type ConfigSource, type SourceDescription } from './config-source.js';

/**
 * Reads a config repository from a directory: what is on disk now, committed or not. Only
 * regular files inside the repository are read. Symbolic links are never followed — not a
 * linked file, not a linked folder (Node's recursive readdir would descend into one), not a
 * config folder that is itself a link — so a link cannot pull files from outside the repository
 * into the configuration. Links found are reported by `links()`.
 */
export class DirectorySource implements ConfigSource {
  readonly description: SourceDescription;
  private listing: Promise<{ files: string[]; links: string[] }> | undefined;

  constructor(private readonly root: string) {
    this.description = { type: 'directory', root: path.resolve(root) };
  }

  private walk(): Promise<{ files: string[]; links: string[] }> {
    this.listing ??= (async () => {
      const files: string[] = [];
      const links: string[] = [];
      const visit = async (rel: string): Promise<void> => {
        const entries = await readdir(path.join(this.root, rel), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
          throw error;
        });
        for (const entry of entries) {
          const child = rel ? `${rel}/${entry.name}` : entry.name;
          if (entry.isSymbolicLink()) links.push(child);
          else if (entry.isDirectory()) await visit(child);
          else if (entry.isFile()) files.push(child);
        }
      };
      for (const folder of CONFIG_FOLDERS) {
        let stat;
        try {
          stat = lstatSync(path.join(this.root, folder));
        } catch {
          continue;
        }
        if (stat.isSymbolicLink()) links.push(folder);
        else if (stat.isDirectory()) await visit(folder);
      }
      return { files: files.sort(), links: links.sort() };
    })();
    return this.listing;
  }

  async listFiles(): Promise<string[]> {
    return (await this.walk()).files;
  }

  async links(): Promise<string[]> {
    return (await this.walk()).links;
  }

  /**
   * Synchronous reads: for thousands of small files they are several times faster than
   * fs.promises (no thread-pool round trip per file), and a load is one short burst. Each file
   * is opened with O_NOFOLLOW and must be a regular file, and no folder on its way may be a
   * link: a path handed in from outside cannot be used to read through one.
   */
  async readFiles(paths: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const p of paths) {
      const rel = p.split('/');
      if (rel.some((part) => part === '..' || part === '') || path.isAbsolute(p)) continue;
      if (!this.noLinkOnTheWay(rel)) continue;
      let fd: number | undefined;
      try {
        fd = openSync(path.join(this.root, p), constants.O_RDONLY | constants.O_NOFOLLOW);
        if (!fstatSync(fd).isFile()) continue;
        result.set(p, readFileSync(fd, 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ELOOP' && code !== 'ENOTDIR') throw error;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
    return result;
  }

  /** Folders already checked on the way to files (a load reads many files from few folders). */
  private readonly safeFolders = new Set<string>();

  private noLinkOnTheWay(parts: string[]): boolean {
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (this.safeFolders.has(folder)) continue;
      try {
        if (!lstatSync(path.join(this.root, folder)).isDirectory()) return false;
      } catch {
        return false;
      }
      this.safeFolders.add(folder);
    }
    return true;
  }
}
