/**
 * Where a configuration repository's files come from: a directory on disk (the working tree,
 * uncommitted edits included) or a commit in git (read through git itself, no checkout).
 * Paths are relative to the config repository's root, with forward slashes.
 */
export type SourceDescription = { type: 'directory'; root: string } | { type: 'git'; root: string; ref: string; commit: string; shortCommit: string };

export interface ConfigSource {
  readonly description: SourceDescription;
  /** Every file under the folders a config repository uses (environments, migrations, policies, .gitops). */
  listFiles(): Promise<string[]>;
  /** The files' text; a path that does not exist is absent from the result. */
  readFiles(paths: readonly string[]): Promise<Map<string, string>>;
  /**
   * Symbolic links (and submodules) found under the config folders. They are never followed,
   * so a link cannot pull a file from outside the repository into the configuration.
   */
  links?(): Promise<string[]>;
}

/** The top-level folders of a config repository that Honua reads. */
export const CONFIG_FOLDERS = ['environments', 'migrations', 'policies', '.gitops'] as const;

export const describeSource = (d: SourceDescription): string => (d.type === 'directory' ? d.root : `${d.ref} (${d.shortCommit})`);
