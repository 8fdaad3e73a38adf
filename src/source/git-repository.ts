import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UsageError } from '../errors/index.js';
import { gitQuiet, readBlobs } from './git-exec.js';

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
    await this.refuseAmbiguous(ref, sha);
    return sha;
  }

  /**
   * A name Honua resolves must mean one thing. git's own rules pick one of `refs/X`,
   * `refs/tags/X`, `refs/heads/X`, `refs/remotes/X` (and an abbreviated commit id) silently, so
   * a branch named `origin/main` quietly shadows the remote's main; here a name that two of them
   * answer, with different commits, is refused with the full names to choose from.
   */
  private async refuseAmbiguous(ref: string, sha: string): Promise<void> {
    if (!/^[A-Za-z0-9._/-]+$/.test(ref) || /^[0-9a-f]{40,64}$/.test(ref) || ref.startsWith('refs/')) return;
    const candidates = [`refs/${ref}`, `refs/tags/${ref}`, `refs/heads/${ref}`, `refs/remotes/${ref}`, `refs/remotes/${ref}/HEAD`];
    const out = await this.git.raw(['for-each-ref', '--format=%(refname) %(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)', ...candidates]);
    const hits = out
      .split('\n')
      .map((l) => l.trim().split(' '))
      .filter(([name]) => name !== undefined && candidates.includes(name));
    const commits = new Set(hits.map(([, id]) => id));
    if (/^[0-9a-f]{4,39}$/.test(ref)) {
      const objects = (await this.git.raw(['rev-parse', `--disambiguate=${ref}`]).catch(() => '')).split('\n').filter((l) => l.trim());
      for (const o of objects) commits.add(o.trim());
      if (hits.length > 0 && objects.length > 0) hits.push(['(an abbreviated object id)', objects[0] as string]);
    }
    if (hits.length > 1 && commits.size > 1) {
      throw new UsageError('ambiguous-ref', `"${ref}" names ${hits.map(([n]) => n).join(' and ')}, which point at different commits`, {
        hint: `Name the one you mean in full (${hits.map(([n]) => n).join(' or ')}).`,
        data: { ref, candidates: hits.map(([n]) => n), resolved: sha },
      });
    }
  }

  /** The path of `dir` relative to the repository's top level ('' or 'samples/honua-config/'). */
  prefix(): Promise<string> {
    this.prefixPromise ??= this.git.revparse(['--show-prefix']).then((p) => p.trim());
    return this.prefixPromise;
  }

  /**
   * Files under `folders` (relative to `dir`) at `commit`, with their blob ids. Only regular
   * files: symbolic links (mode 120000) and submodules are left out, and listed in `links` when
   * it is given.
   */
  async listTree(commit: string, folders: readonly string[], links?: string[]): Promise<Map<string, string>> {
    const prefix = await this.prefix();
    const out = await this.git.raw(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...folders.map((f) => prefix + f)]);
    const tree = new Map<string, string>();
    for (const entry of out.split('\0')) {
      // <mode> SP <type> SP <object> TAB <path>
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [mode, type, object] = entry.slice(0, tab).split(' ');
      const file = entry.slice(tab + 1 + prefix.length);
      if (type === 'blob' && object && (mode === '100644' || mode === '100755')) tree.set(file, object);
      else if (mode === '120000' || mode === '160000') links?.push(file);
    }
    return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Reads blobs by id with one `git cat-file --batch` (see readBlobs in git-exec.ts). */
  readBlobs(objects: readonly string[]): Promise<Map<string, string>> {
    return readBlobs(path.resolve(this.dir), objects);
  }

  /**
   * Reads files at one commit (paths relative to `dir`); missing paths are absent from the
   * result. Pass the commit's tree from listTree when you already have it.
   */
  async readFiles(commit: string, paths: readonly string[], tree?: Map<string, string>): Promise<Map<string, string>> {
    tree ??= await this.listTree(commit, ['.']);
    const wanted = paths.filter((p) => tree.has(p));
    const blobs = await this.readBlobs(wanted.map((p) => tree.get(p) as string));
    const out = new Map<string, string>();
    for (const p of wanted) {
      const text = blobs.get(tree.get(p) as string);
      if (text !== undefined) out.set(p, text);
    }
    return out;
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

  /** A commit's time (committer, ISO 8601) and author. */
  async commitInfo(commit: string): Promise<{ commit: string; time: string; author: { name: string; email: string } }> {
    const out = await this.git.raw(['show', '-s', '--format=%H%x00%cI%x00%an%x00%ae', commit, '--']);
    const [sha, time, name, email] = out.trim().split('\0');
    return { commit: sha ?? commit, time: time ?? '', author: { name: name ?? '', email: email ?? '' } };
  }

  /** The origin remote's URL, or undefined when there is none. */
  async originUrl(): Promise<string | undefined> {
    return (await gitQuiet(this.dir, ['remote', 'get-url', 'origin'])) || undefined;
  }

  /** The branch checked out (undefined when HEAD is detached). */
  async currentBranch(): Promise<string | undefined> {
    const name = await gitQuiet(this.dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return name || undefined;
  }

  /** Whether the config repository's files in the working tree differ from HEAD (or are untracked). */
  async isDirty(): Promise<boolean> {
    const prefix = await this.prefix();
    const out = await this.git.raw(['status', '--porcelain', '--untracked-files=all', '--', prefix || '.']);
    return out.trim().length > 0;
  }
}
