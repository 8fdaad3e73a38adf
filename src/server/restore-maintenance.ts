import type { DeploymentRecord } from '../deploy/index.js';
import type { Maintenance } from './maintenance.js';

/**
 * A database restore runs in maintenance mode wherever it is carried on — requested through the
 * admin API, approved there, or started by the server's scheduler when its time comes: the data
 * endpoints answer 503 with Retry-After rather than serve half-restored tables, until the restored
 * snapshot is verified and served. Maintenance an operator had turned on already is left as it was.
 */
export const restoresDatabase = (
  r: Pick<DeploymentRecord, 'kind' | 'restore'> | { kind: string; restore?: { includeDatabase: boolean } | undefined },
): boolean => r.kind === 'restore' && r.restore?.includeDatabase === true;

export async function withRestoreMaintenance<T>(
  maintenance: Maintenance | undefined,
  restoring: boolean,
  reason: string,
  by: string,
  fn: () => Promise<T>,
): Promise<T> {
  const own = restoring && maintenance !== undefined && maintenance.state === undefined;
  if (own) maintenance.enable(reason, 120, by);
  try {
    return await fn();
  } finally {
    if (own) maintenance.disable();
  }
}
