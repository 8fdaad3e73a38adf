import type { EnvironmentStatus } from '../deploy/index.js';
import type { Engine } from './engine.js';

/**
 * The commit an environment runs — what plans, reviews, schedules and promotions are made
 * against — or undefined when nothing is deployed there, or what runs is a working tree
 * (`honua dev apply`) rather than a commit, or the state cannot be read.
 */
export const commitOf = (status: Pick<EnvironmentStatus, 'deployedCommit'> | undefined): string | undefined => {
  const c = status?.deployedCommit;
  return c && /^[0-9a-f]{7,40}$/.test(c) ? c : undefined;
};

export async function deployedCommit(engine: Pick<Engine, 'status'>, environment: string): Promise<string | undefined> {
  const [status] = await engine.status({ environment }).catch(() => [undefined]);
  return commitOf(status);
}
