import { canonicalEnvironment } from '../config/index.js';
import { HonuaError } from '../errors/index.js';
import type { Engine } from './engine.js';

/**
 * What a rollback would undo, worked out before anyone confirms it (`honua-ai rollback`,
 * `request_rollback`): the deployment it goes back to (the same choice the deployer makes), the
 * deployments since, the migrations whose down steps will run, and what that means for data
 * written since. Read-only; the deployer decides again when it runs.
 */
export interface RollbackPreview {
  environment: string;
  current?: { id: string; commit: string; finishedAt?: string | undefined } | undefined;
  target: { id: string; commit: string; finishedAt?: string | undefined };
  undone: Array<{ id: string; kind: string; commit: string; finishedAt?: string | undefined }>;
  downMigrations: string[];
  data: string;
}

export async function rollbackPreview(
  engine: Engine,
  request: { environment: string; toDeployment?: string | undefined; toCommit?: string | undefined },
): Promise<RollbackPreview> {
  const environment = canonicalEnvironment(request.environment);
  const [status] = await engine.status({ environment });
  const history = (await engine.deployments({ environment, limit: 200 })).filter((d) => d.state === 'Completed' && d.snapshot);
  const active = status?.activeSnapshot;
  const target = request.toDeployment
    ? history.find((d) => d.id === request.toDeployment)
    : request.toCommit
      ? history.find((d) => d.commit.startsWith(request.toCommit as string))
      : history.find((d) => d.snapshot !== active);
  if (!target)
    throw new HonuaError(
      request.toDeployment || request.toCommit ? 'deployment-not-found' : 'nothing-to-roll-back',
      request.toDeployment || request.toCommit
        ? `no completed deployment of ${environment} matches ${request.toDeployment ?? request.toCommit}`
        : `${environment} has no earlier completed deployment to roll back to`,
      { hint: `honua deployments ${environment} lists them.` },
    );
  if (target.snapshot === active) throw new HonuaError('nothing-to-roll-back', `${target.id}'s snapshot is the one active in ${environment} already`);
  const current = history.find((d) => d.snapshot === active);
  // What came after the target: deployed later, and (two deployments in the same second) the one running now.
  const since = history.filter((d) => d.id !== target.id && (d.createdAt > target.createdAt || d.snapshot === active));
  const downMigrations = [...new Set(since.flatMap((d) => d.migrationsApplied.filter((m) => !d.migrationsReverted.includes(m))))].reverse();
  return {
    environment,
    ...(current ? { current: { id: current.id, commit: current.commit, finishedAt: current.finishedAt } } : {}),
    target: { id: target.id, commit: target.commit, finishedAt: target.finishedAt },
    undone: since.map((d) => ({ id: d.id, kind: d.kind, commit: d.commit, finishedAt: d.finishedAt })),
    downMigrations,
    data:
      downMigrations.length === 0
        ? 'No migration is reverted: the database is not touched; only what is served changes back.'
        : `The down steps of ${downMigrations.join(', ')} run: whatever they drop (a column, a table, an index) goes, with data written to it since ${target.finishedAt ?? target.createdAt}. Rows written elsewhere stay.`,
  };
}
