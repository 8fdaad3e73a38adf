import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import { CONFIG_FOLDERS, type ConfigSource } from './config-source.js';
import { DirectorySource } from './directory-source.js';
import { GitRepository } from './git-repository.js';
import { GitSource } from './git-source.js';

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Finds the config repository's root from a directory: the directory itself or its nearest
 * ancestor that holds one of the config folders (so `--repo environments/` works too).
 */
export async function findConfigRoot(start: string): Promise<string> {
  const begin = path.resolve(start);
  if (!(await exists(begin))) {
    throw new UsageError('repo-not-found', `${start} does not exist`, { hint: 'Pass --repo with the path of your config repository.' });
  }
  for (let dir = begin; ; dir = path.dirname(dir)) {
    for (const folder of CONFIG_FOLDERS) {
      if (await exists(path.join(dir, folder))) return dir;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError('repo-not-found', `${start} is not inside a Honua config repository`, {
    hint: `A config repository has at least one of the folders ${CONFIG_FOLDERS.join(', ')}. Pass --repo DIR, or run from inside one.`,
  });
}

/** Opens a config repository: its working tree, or a commit of it when `ref` is given. */
export async function openSource(options: { repo: string; ref?: string | undefined }): Promise<ConfigSource> {
  const root = await findConfigRoot(options.repo);
  if (options.ref === undefined) return new DirectorySource(root);
  if (!(await GitRepository.isRepository(root))) {
    throw new UsageError('not-a-git-repo', `${root} is not a git repository, so --ref ${options.ref} cannot be read`, {
      hint: 'Run `git init` in the config repository, or leave out --ref to read the files on disk.',
    });
  }
  const git = new GitRepository(root);
  const commit = await git.resolveCommit(options.ref);
  return new GitSource(git, options.ref, commit);
}
