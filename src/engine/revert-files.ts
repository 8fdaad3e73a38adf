import { GitRepository } from '../source/index.js';
import type { Engine } from './engine.js';

/**
 * The files that make the repository say again what runs after a rollback ("git revert =
 * rollback"): every file configuring the environment (its folder, the shared layers, the
 * migrations) that changed between the commit it runs now and HEAD, with its content at that
 * commit; other environments' folders and the policies are left as they are. Files added since
 * cannot be proposed away (a proposal writes files); they are listed for a person to remove.
 */
export async function revertFiles(
  engine: Engine,
  toCommit: string,
  /** The environment's folder under environments/. */
  folder: string,
): Promise<{ files: Array<{ path: string; content: string }>; addedSince: string[]; head: string }> {
  const repoDir = engine.workspace.repoDir;
  if (!repoDir) return { files: [], addedSince: [], head: '' };
  const ours = (p: string) => p.startsWith(`environments/${folder}/`) || p.startsWith('environments/common/') || p.startsWith('migrations/');
  const git = new GitRepository(repoDir);
  const [target, head] = await Promise.all([git.resolveCommit(toCommit), git.resolveCommit('HEAD')]);
  const changed = (await git.changedPaths(target, head)).filter(ours);
  const before = await git.readFiles(target, changed);
  const files: Array<{ path: string; content: string }> = [];
  const addedSince: string[] = [];
  for (const p of changed) {
    const content = before.get(p);
    if (content === undefined) addedSince.push(p);
    else files.push({ path: p, content });
  }
  return { files, addedSince, head };
}
