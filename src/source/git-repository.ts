import { spawn } from 'node:child_process';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { HonuaError, UsageError } from '../errors/index.js';

/**
 * Read access to a git repository through git itself: resolve refs, list a tree at a commit,
 * read files at a commit without touching the working tree, and list changed paths.
 * `dir` may be a subdirectory of the repository (a config repo kept inside a larger repo);
 * paths given to and returned from this class are relative to `dir`.
 */
export class GitRepository {
  private readonly git: SimpleGit;
  private prefixPromise: Promise<string> | undefined;

  constructor(readonly dir: string) {
    this.git = simpleGit({ baseDir: path.resolve(dir) });
  }

  /** True when `dir` is inside a git work tree. */
  static async isRepository(dir: string): Promise<boolean> {
    try {
      return await simpleGit({ baseDir: path.resolve(dir) }).checkIsRepo();
    } catch {
      return false;
    }
  }

  /** Resolves a ref (branch, tag, sha, HEAD~2, ...) to a full commit sha. */
  async resolveCommit(ref: string): Promise<string> {
    const unknown = (cause?: unknown) =>
      new UsageError('unknown-ref', `git cannot find the commit "${ref}" in ${this.dir}`, {
        hint: 'Name a branch, tag or commit that exists (git log --oneline shows them).',
        cause,
        data: { ref },
      });
    if (ref.startsWith('-')) throw unknown();
    let sha: string;
    try {
      // Without --quiet: simple-git only reports a failure when git writes to stderr.
      sha = (await this.git.revparse(['--verify', `${ref}^{commit}`])).trim();
    } catch (cause) {
      throw unknown(cause);
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw unknown();
    return sha;
  }

  /** The path of `dir` relative to the repository's top level ('' or 'samples/honua-config/'). */
  prefix(): Promise<string> {
    this.prefixPromise ??= this.git.revparse(['--show-prefix']).then((p) => p.trim());
    return this.prefixPromise;
  }

  /** Files under `folders` (relative to `dir`) at `commit`. */
  async listFiles(commit: string, folders: readonly string[]): Promise<string[]> {
    const prefix = await this.prefix();
    const out = await this.git.raw(['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', ...folders.map((f) => prefix + f)]);
    return out
      .split('\0')
      .filter((p) => p.length > 0)
      .map((p) => p.slice(prefix.length))
      .sort();
  }

  /**
   * Reads many files at one commit with a single `git cat-file --batch` process (simple-git has
   * no way to stream stdin, and one process per file would be far too slow for large repos).
   */
  async readFiles(commit: string, paths: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (paths.length === 0) return result;
    const prefix = await this.prefix();
    const child = spawn('git', ['cat-file', '--batch'], { cwd: path.resolve(this.dir), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (cause) => reject(new HonuaError('git-failed', 'could not run git', { fault: 'system', cause, hint: 'Install git and make sure it is on PATH.' })));
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new HonuaError('git-failed', `git cat-file failed: ${stderr.trim()}`, { fault: 'system' })),
      );
    });
    child.stdin.end(paths.map((p) => `${commit}:${prefix}${p}\n`).join(''));
    await done;
    const out = Buffer.concat(chunks);
    let offset = 0;
    for (const p of paths) {
      const eol = out.indexOf(0x0a, offset);
      const header = out.subarray(offset, eol).toString();
      offset = eol + 1;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
      const size = Number(header.split(' ')[2]);
      result.set(p, out.subarray(offset, offset + size).toString('utf8'));
      offset += size + 1;
    }
    return result;
  }

  /** Paths (relative to `dir`) that differ between two commits. */
  async changedPaths(from: string, to: string): Promise<string[]> {
    const prefix = await this.prefix();
    const out = await this.git.raw(['diff', '--name-only', '-z', from, to, '--', prefix || '.']);
    return out
      .split('\0')
      .filter((p) => p.startsWith(prefix) && p.length > 0)
      .map((p) => p.slice(prefix.length));
  }
}
