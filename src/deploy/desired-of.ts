import { buildMigrationGraph, type DesiredState, requireState } from '../config/index.js';
import { HonuaError } from '../errors/index.js';
import type { DeploymentRecord } from './deployment-record.js';
import type { DeployWorkspace } from './deploy-workspace.js';
import { stateOfSnapshot } from './snapshot-state.js';

/**
 * What a deployment deploys, read again whenever a phase needs it (never cached across a crash):
 * the environment at the commit; the working tree for `dev apply`; the target snapshot for a
 * rollback. A deployment of one migration keeps what is deployed and adds that migration and the
 * ones it depends on.
 */
export async function desiredOf(ws: DeployWorkspace, record: DeploymentRecord): Promise<DesiredState> {
  if (record.kind === 'rollback') {
    const target = record.snapshot ? await ws.store.getSnapshot(record.environment, record.snapshot) : undefined;
    if (!target) throw new HonuaError('snapshot-not-found', `the snapshot ${record.snapshot ?? '(none)'} that ${record.id} rolls back to is not in the store`);
    return stateOfSnapshot(target);
  }
  const repo = await ws.config(record.kind === 'dev-apply' ? undefined : record.commit);
  const state = requireState(repo, record.environment);
  if (record.kind !== 'migration' || record.migration === undefined) return state;
  const graph = buildMigrationGraph(state.migrations);
  const target = graph.order.find((m) => m.id === record.migration || m.name === record.migration);
  if (!target) {
    throw new HonuaError('unknown-migration', `${record.environment} has no migration "${record.migration}" at ${record.commit.slice(0, 7)}`, {
      hint: `Its migrations: ${state.migrations.map((m) => m.name).join(', ') || 'none'}.`,
    });
  }
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    const m = graph.order.find((x) => x.name === name);
    for (const dep of m ? (graph.dependenciesOf.get(m) ?? []) : []) visit(dep.name);
  };
  visit(target.name);
  return { ...state, migrations: graph.order.filter((m) => needed.has(m.name)) };
}
