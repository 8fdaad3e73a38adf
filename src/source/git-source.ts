import { CONFIG_FOLDERS, type ConfigSource, type SourceDescription } from './config-source.js';
import type { GitRepository } from './git-repository.js';

/** A config repository as it is at one commit. */
export class GitSource implements ConfigSource {
  readonly description: SourceDescription;

  constructor(
    private readonly repo: GitRepository,
    ref: string,
    private readonly commit: string,
  ) {
    this.description = { type: 'git', root: repo.dir, ref, commit, shortCommit: commit.slice(0, 7) };
  }

  private tree: Promise<Map<string, string>> | undefined;
  private readonly linked: string[] = [];

  private listTree(): Promise<Map<string, string>> {
    this.tree ??= this.repo.listTree(this.commit, CONFIG_FOLDERS, this.linked);
    return this.tree;
  }

  async links(): Promise<string[]> {
    await this.listTree();
    return [...this.linked].sort();
  }

  async listFiles(): Promise<string[]> {
    return [...(await this.listTree()).keys()];
  }

  async readFiles(paths: readonly string[]): Promise<Map<string, string>> {
    return this.repo.readFiles(this.commit, paths, await this.listTree());
  }
}
