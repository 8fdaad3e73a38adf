import { buildEnvironment, canonicalEnvironment, type LoadedRepo } from '../config/index.js';
import { type Snapshot, snapshotOf } from '../deploy/index.js';
import { HonuaError } from '../errors/index.js';

/**
 * What `honua serve` serves when an environment has never been deployed: its configuration in the
 * working tree, as a snapshot that is marked as such (the landing page, /readyz and the log say
 * "working tree", never "deployed"). It is refused when the configuration has errors — a server
 * does not serve what `honua validate` rejects. The first deployment replaces it.
 */
export function workingTreeSnapshot(repo: LoadedRepo, environment: string, at: Date): Snapshot {
  const { state, problems } = buildEnvironment(repo, canonicalEnvironment(environment));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new HonuaError('nothing-to-serve', `${environment}'s configuration has ${errors.length} error(s); nothing is served from it`, {
      hint: `honua validate -e ${environment} shows them.`,
    });
  }
  return snapshotOf(state, { commit: 'working-tree', dirty: true, deploymentId: 'working-tree', at });
}
