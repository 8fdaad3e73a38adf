import { type LoadedRepo, loadRepo } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import { DirectorySource, GitRepository, GitSource } from '../source/index.js';

/**
 * The configuration as the engine reads it: the working tree (read afresh each time: it may
 * change under us), or a commit — resolved once to its id and cached, since a commit never
 * changes. The cache is bounded (the server and the controller read many commits over days).
 * Snapshots are shared: callers must not change them.
 */
const MAX_SNAPSHOTS = 32;

export class ConfigSnapshots {
  private readonly byCommit = new Map<string, Promise<LoadedRepo>>();
  private git: GitRepository | undefined;

  constructor(private readonly repoDir: string) {}

  async load(ref?: string): Promise<LoadedRepo> {
    if (ref === undefined) return loadRepo(new DirectorySource(this.repoDir));
    if (!(await GitRepository.isRepository(this.repoDir))) {
      throw new UsageError('not-a-git-repo', `${this.repoDir} is not a git repository, so ${ref} cannot be read`, {
        hint: 'Run `git init` in the config repository, or leave out the ref to read the files on disk.',
      });
    }
    this.git ??= new GitRepository(this.repoDir);
    const commit = await this.git.resolveCommit(ref);
    let hit = this.byCommit.get(commit);
    if (!hit) {
      if (this.byCommit.size >= MAX_SNAPSHOTS) this.byCommit.delete(this.byCommit.keys().next().value as string);
      hit = loadRepo(new GitSource(this.git, ref, commit));
      hit.catch(() => this.byCommit.delete(commit));
      this.byCommit.set(commit, hit);
    }
    // The same commit under another name: the snapshot is shared, the description says the name asked for.
    const repo = await hit;
    return repo.source.type === 'git' && repo.source.ref !== ref ? { ...repo, source: { ...repo.source, ref } } : repo;
  }
}
