import { HonuaError } from '../errors/index.js';
import type { CheckResult, Verification } from './deployment-record.js';
import type { DeploymentRun } from './deployment-run.js';

/**
 * PostValidating: the migrations' post-up validations (already run by the runner) and every
 * verifier's checks against the snapshot now active. All passing completes the deployment;
 * any failing is a failed deployment (rolled back when the policy says so).
 */
export async function verifyPhase(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  const env = (await ws.store.getEnvironment(record.environment)).value;
  const snapshotId = record.snapshot ?? env.activeSnapshot;
  const snapshot = snapshotId ? await ws.store.getSnapshot(record.environment, snapshotId) : undefined;
  const checks: CheckResult[] = [...(record.migrationChecks ?? [])];
  if (snapshot) {
    const db = await ws.database(record.environment);
    const previousSnapshot = record.previousSnapshot ? await ws.store.getSnapshot(record.environment, record.previousSnapshot) : undefined;
    checks.push(
      ...(await ws.verifier.verify({
        environment: record.environment,
        snapshot,
        previousSnapshot,
        database: db,
        onCheck: (result) => ws.events?.({ type: 'check', id: record.id, result }),
      })),
    );
  }
  const verification: Verification = { passed: checks.every((c) => c.passed), at: run.now().toISOString(), checks };
  record.verification = verification;
  await run.save();
  if (!verification.passed) {
    const failed = checks.filter((c) => !c.passed);
    throw new HonuaError('verification-failed', `post-deployment checks failed: ${failed.map((c) => `${c.name} (${c.source}): ${c.detail}`).join('; ')}`, {
      data: { failed: failed.map((c) => c.name) },
    });
  }
  const current = await ws.store.getEnvironment(record.environment);
  const passed = checks.filter((c) => !c.skipped).length;
  await ws.store.saveEnvironment(
    run.lease,
    {
      ...current.value,
      lastDeployment: record.id,
      lastCompletedAt: run.now().toISOString(),
      health: 'Healthy',
      healthReason: `${passed} check(s) passed after ${record.id}`,
    },
    current.revision,
  );
  await run.move('Completed', `${passed} check(s) passed`);
}
