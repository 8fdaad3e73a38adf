import { type Database, migrateDown, migrateUp, currentState, readHistory } from '../db/index.js';
import { HonuaError } from '../errors/index.js';
import type { CheckResult } from './deployment-record.js';
import { desiredOf } from './desired-of.js';
import type { DeploymentRun } from './deployment-run.js';
import { snapshotOf } from './snapshot.js';
import { stateOfSnapshot } from './snapshot-state.js';

/**
 * BackingUp and Applying. The database is backed up when the governing policy asks for it and
 * the deployment changes the database. Then, each a step of its own (done once, recorded at
 * once): a restore's database backup, every pending migration in order (the runner's history
 * makes a repeated one a no-op), a rollback's reverts, and last the snapshot, made active with a
 * compare-and-set on the environment's state.
 */
export async function backupPhase(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  const changesDatabase = (record.plan?.migrations.pending.length ?? 0) > 0 || (await revertsOf(run)).length > 0 || record.restore?.includeDatabase === true;
  if (record.requireBackup && changesDatabase) {
    await run.step('backup', async () => {
      const b = await ws.backup(record.environment);
      record.backup = { id: b.id, kind: b.kind, dir: b.dir };
      return `backup ${b.id} (${b.kind})`;
    });
    return run.move('Applying', `backup ${record.backup?.id} taken`);
  }
  await run.move('Applying', record.requireBackup ? 'No backup needed: the database does not change' : 'No backup: the policy asks for none');
}

/** Migrations a rollback reverts: applied, and not part of the snapshot it goes back to. */
async function revertsOf(run: DeploymentRun): Promise<string[]> {
  const { record, ws } = run;
  if (record.kind !== 'rollback') return [];
  const target = await desiredOf(ws, record);
  const keep = new Set(target.migrations.map((m) => m.name));
  const db = await ws.database(record.environment);
  return [...currentState(await readHistory(db))].filter(([name, s]) => s.applied && !keep.has(name)).map(([name]) => name);
}

export async function applyPhase(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  const db = await ws.database(record.environment);
  if (record.kind === 'restore' && record.restore?.includeDatabase) {
    await run.step('restore-database', async () => {
      const r = await ws.restoreBackup(record.environment, record.restore?.backupId);
      if (!r.verified) throw new HonuaError('restore-failed', `the restored database does not match backup ${r.id}`, { data: { mismatches: r.mismatches } });
      return `restored backup ${r.id}`;
    });
  }
  if (record.kind === 'rollback') await revertForRollback(run, db);
  else await applyMigrations(run, db);
  if (record.kind !== 'migration') await activate(run);
  await run.move('PostValidating', 'applied');
}

async function applyMigrations(run: DeploymentRun, db: Database): Promise<void> {
  const { record, ws } = run;
  const pending = record.plan?.migrations.pending.map((m) => m.name) ?? [];
  if (pending.length === 0) return;
  const desired = await desiredOf(ws, record);
  for (const name of pending) {
    await run.step(`migrate:${name}`, async () => {
      const outcomes = await migrateUp(db, desired.migrations, {
        to: name,
        environment: record.environment,
        deploymentId: record.id,
        appliedBy: record.requester.name,
        onProgress: (event) => ws.events?.({ type: 'migration', id: record.id, event }),
      });
      for (const o of outcomes) {
        if (!record.migrationsApplied.includes(o.name)) record.migrationsApplied.push(o.name);
        const checks: CheckResult[] = o.checks.map((c) => ({ name: c.name, source: o.name, passed: c.passed, detail: c.detail, durationMs: 0 }));
        record.migrationChecks = [...(record.migrationChecks ?? []), ...checks];
      }
      return outcomes.length === 0 ? `${name} was applied already` : `applied ${outcomes.map((o) => o.name).join(', ')}`;
    });
  }
}

async function revertForRollback(run: DeploymentRun, db: Database): Promise<void> {
  const { record, ws } = run;
  const reverts = await revertsOf(run);
  if (reverts.length === 0) return;
  // Their down steps are those of the snapshot that applied them: the one active now.
  const env = (await ws.store.getEnvironment(record.environment)).value;
  const current = env.activeSnapshot ? await ws.store.getSnapshot(record.environment, env.activeSnapshot) : undefined;
  const migrations = current ? stateOfSnapshot(current).migrations : [];
  for (const name of [...reverts].reverse()) {
    await run.step(`revert:${name}`, async () => {
      await migrateDown(db, migrations, { only: [name], environment: record.environment, deploymentId: record.id, appliedBy: record.requester.name });
      if (!record.migrationsReverted.includes(name)) record.migrationsReverted.push(name);
      return `reverted ${name}`;
    });
  }
}

/** Stores the snapshot and makes it the environment's active one (the server loads exactly this). */
async function activate(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  await run.step('snapshot', async () => {
    let id = record.snapshot;
    let commit = record.commit;
    if (record.kind !== 'rollback') {
      const snapshot = snapshotOf(await desiredOf(ws, record), {
        commit: record.commit,
        ...(record.dirty ? { dirty: true } : {}),
        deploymentId: record.id,
        at: run.now(),
      });
      await ws.store.saveSnapshot(run.lease, snapshot);
      id = snapshot.id;
      record.snapshot = id;
    } else {
      const target = id ? await ws.store.getSnapshot(record.environment, id) : undefined;
      commit = target?.commit ?? commit;
    }
    const current = await ws.store.getEnvironment(record.environment);
    await ws.store.saveEnvironment(run.lease, { ...current.value, activeSnapshot: id, deployedCommit: commit, activeDeployment: record.id }, current.revision);
    return `activated snapshot ${id}`;
  });
}
