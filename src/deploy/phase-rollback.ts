import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { currentState, migrateDown, readHistory } from '../db/index.js';
import { HonuaError, isHonuaError } from '../errors/index.js';
import type { CheckResult } from './deployment-record.js';
import { desiredOf } from './desired-of.js';
import type { DeploymentRun } from './deployment-run.js';
import { incidentMarkdown, incidentOf } from './incident-report.js';

/**
 * RollingBack: undo exactly what this deployment did. The migrations it applied that are still
 * applied are reverted newest first with their down steps; if one has none, or its revert fails,
 * or a migration was left half-applied (statements outside a transaction), the database backup
 * taken before is restored instead. Then the previous snapshot is made active again and
 * verified. The commit is quarantined, and an incident report written. A rollback that cannot
 * finish ends Failed, with the environment marked Unhealthy and the report saying what is left.
 */
export async function rollbackPhase(run: DeploymentRun): Promise<void> {
  const { record } = run;
  try {
    await undoDatabase(run);
    await reactivate(run);
    const verification = await verifyPrevious(run);
    await finish(run, verification.passed ? 'Healthy' : 'Degraded', 'ROLLED BACK');
    await run.move('RolledBack', `rolled back: ${record.error?.message ?? 'failure'}`);
  } catch (error) {
    if (isHonuaError(error) && (error.code === 'lease-lost' || error.code === 'stale-revision')) throw error;
    run.note(`the rollback failed: ${(error as Error).message}`);
    record.steps.push({ key: 'rollback-failed', at: run.now().toISOString(), durationMs: 0, detail: (error as Error).message });
    await finish(run, 'Unhealthy', 'FAILED');
    await run.move('Failed', `the rollback failed: ${(error as Error).message}`);
  }
}

async function undoDatabase(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  const db = await ws.database(record.environment);
  const desired = await desiredOf(ws, record);
  const state = currentState(await readHistory(db));
  const ours = new Set([...record.migrationsApplied, ...(record.plan?.migrations.pending.map((m) => m.name) ?? [])]);
  // A migration left half-done (steps outside a transaction ran, then one failed) cannot be reverted by its down steps.
  const halfDone = [...ours].filter((name) => {
    const s = state.get(name);
    return s && !s.applied && !s.last.success && (s.last.steps_done ?? 0) > 0 && s.last.direction === 'up';
  });
  const toRevert = desired.migrations.filter((m) => ours.has(m.name) && state.get(m.name)?.applied).reverse();
  let restore = halfDone.length > 0 ? `${halfDone.join(', ')} was left half-applied` : undefined;
  if (!restore) {
    for (const m of toRevert) {
      if (m.down.length === 0) {
        restore = `${m.name} has no down steps`;
        break;
      }
      try {
        await run.step(`revert:${m.name}`, async () => {
          await migrateDown(db, desired.migrations, { only: [m.name], environment: record.environment, deploymentId: record.id, appliedBy: 'honua rollback' });
          if (!record.migrationsReverted.includes(m.name)) record.migrationsReverted.push(m.name);
          return `reverted ${m.name}`;
        });
      } catch (error) {
        if (isHonuaError(error) && (error.code === 'lease-lost' || error.code === 'stale-revision')) throw error;
        restore = `reverting ${m.name} failed: ${(error as Error).message}`;
        break;
      }
    }
  }
  // The runner reverts a migration whose post-up validation failed by itself: that counts as reverted too.
  for (const [name, s] of currentState(await readHistory(db))) {
    if (!ours.has(name) || s.applied || record.migrationsReverted.includes(name)) continue;
    if (s.last.direction === 'down' && s.last.success && s.last.deployment_id === record.id) record.migrationsReverted.push(name);
  }
  if (restore) {
    if (!record.backup)
      throw new HonuaError('rollback-failed', `cannot roll back the database: ${restore}, and no backup was taken before`, {
        hint: 'Restore the database by hand (honua backup list), then deploy a fixed commit.',
      });
    await run.step('restore-backup', async () => {
      const r = await ws.restoreBackup(record.environment, record.backup?.id);
      return `backup ${r.id} (${restore})`;
    });
  }
}

async function reactivate(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  await run.step('reactivate', async () => {
    const current = await ws.store.getEnvironment(record.environment);
    const previous = record.previousSnapshot ? await ws.store.getSnapshot(record.environment, record.previousSnapshot) : undefined;
    if (current.value.activeSnapshot === record.previousSnapshot || (record.snapshot !== undefined && current.value.activeSnapshot !== record.snapshot)) {
      return `snapshot ${current.value.activeSnapshot ?? '(none)'} stays active`;
    }
    const { activeSnapshot: _a, deployedCommit: _c, activeDeployment: _d, ...rest } = current.value;
    await ws.store.saveEnvironment(
      run.lease,
      { ...rest, ...(previous ? { activeSnapshot: previous.id, deployedCommit: previous.commit, activeDeployment: previous.deploymentId } : {}) },
      current.revision,
    );
    return previous ? `reactivated snapshot ${previous.id} (${previous.commit.slice(0, 7)})` : 'no snapshot was active before: none is now';
  });
}

async function verifyPrevious(run: DeploymentRun): Promise<{ passed: boolean }> {
  const { record, ws } = run;
  const previous = record.previousSnapshot ? await ws.store.getSnapshot(record.environment, record.previousSnapshot) : undefined;
  const checks: CheckResult[] = previous
    ? await ws.verifier.verify({
        environment: record.environment,
        snapshot: previous,
        database: await ws.database(record.environment),
        onCheck: (result) => ws.events?.({ type: 'check', id: record.id, result }),
      })
    : [];
  record.rollbackVerification = { passed: checks.every((c) => c.passed), at: run.now().toISOString(), checks };
  await run.save();
  return record.rollbackVerification;
}

/** The environment after a failure: its health, the commit quarantined, the incident report written. */
async function finish(run: DeploymentRun, health: 'Healthy' | 'Degraded' | 'Unhealthy', status: 'ROLLED BACK' | 'FAILED'): Promise<void> {
  const { record, ws } = run;
  const now = run.now();
  const current = await ws.store.getEnvironment(record.environment);
  const quarantined = record.kind !== 'rollback' && !current.value.quarantined.some((q) => q.commit === record.commit);
  const reason = record.error?.message ?? 'the deployment failed';
  await ws.store.saveEnvironment(
    run.lease,
    {
      ...current.value,
      lastDeployment: record.id,
      health,
      healthReason: `${record.id} ${status === 'FAILED' ? 'failed and could not be rolled back' : 'was rolled back'}: ${reason}`,
      quarantined: quarantined
        ? [...current.value.quarantined, { commit: record.commit, deploymentId: record.id, reason, at: now.toISOString() }].slice(-50)
        : current.value.quarantined,
    },
    current.revision,
  );
  const leftIn = `${health}; active snapshot ${(await ws.store.getEnvironment(record.environment)).value.activeSnapshot ?? '(none)'}`;
  const incident = incidentOf(record, {
    status,
    leftIn,
    quarantined: quarantined || current.value.quarantined.some((q) => q.commit === record.commit),
    at: now,
  });
  await mkdir(ws.incidentDir, { recursive: true });
  const base = path.join(ws.incidentDir, `${record.id}`);
  await writeFile(`${base}.md`, incidentMarkdown(incident));
  await writeFile(`${base}.json`, `${JSON.stringify(incident, null, 2)}\n`);
  record.incidentReport = { markdown: `${base}.md`, json: `${base}.json` };
  await run.save();
}
