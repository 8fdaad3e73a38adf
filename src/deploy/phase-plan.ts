import { type DesiredState, validateRepo } from '../config/index.js';
import { currentState, readHistory } from '../db/index.js';
import { HonuaError } from '../errors/index.js';
import { createPlan, decidePlan, governingPolicy, type Plan } from '../plan/index.js';
import { isApproved } from './approvals.js';
import { desiredOf } from './desired-of.js';
import type { DeploymentRun } from './deployment-run.js';
import { stateOfSnapshot } from './snapshot-state.js';

/**
 * Validating and Planning: the configuration at the commit must validate; then the plan is made
 * against what is deployed (the active snapshot, and the migrations the database's history says
 * are applied) and decided by the governing policy — the deployed one, else the one at the
 * change's base, never the change's own.
 */
export async function validatePhase(run: DeploymentRun): Promise<void> {
  const { record, ws } = run;
  if (record.kind === 'rollback') return run.move('Planning', `snapshot ${record.snapshot} is in the store`);
  const repo = await ws.config(record.kind === 'dev-apply' ? undefined : record.commit);
  const { report } = validateRepo(repo, [record.environment]);
  if (report.errors > 0) {
    const first = report.problems.find((p) => p.severity === 'error');
    throw new HonuaError('config-invalid', `the ${record.environment} configuration at ${record.commit.slice(0, 7)} has ${report.errors} error(s)`, {
      hint: first ? `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message} (honua validate shows them all)` : 'honua validate shows them.',
      data: { errors: report.errors },
    });
  }
  await run.move('Planning', `the configuration validates (${report.warnings} warning(s))`);
}

export interface Planned {
  plan: Plan;
  desired: DesiredState;
}

/** The plan and the decision as of now, without moving the deployment. */
export async function planNow(run: DeploymentRun): Promise<Planned> {
  const { record, ws } = run;
  const now = run.now();
  const desired = await desiredOf(ws, record);
  const env = (await ws.store.getEnvironment(record.environment)).value;
  const active = env.activeSnapshot ? await ws.store.getSnapshot(record.environment, env.activeSnapshot) : undefined;
  const baseline = active ? stateOfSnapshot(active) : null;
  const db = await ws.database(record.environment);
  const applied = [...currentState(await readHistory(db))].filter(([, s]) => s.applied).map(([name]) => name);
  // One migration: what is deployed stays, the migration (and what it needs) is added.
  const target: DesiredState =
    record.kind === 'migration'
      ? {
          ...desired,
          resources: baseline?.resources ?? [],
          layers: baseline?.layers ?? [],
          services: baseline?.services ?? [],
          dataSources: baseline?.dataSources ?? [],
          policy: baseline?.policy ?? desired.policy,
        }
      : desired;
  const base = baseline ? undefined : await ws.basePolicy(record.environment, record.kind === 'dev-apply' ? undefined : record.commit);
  const input = { desired: target, baseline, applied, ...(base ? { basePolicy: base } : {}) };
  const body = createPlan({ ...input, lintFindings: await ws.lint(target), generatedAt: now });
  const governing = governingPolicy(input).policy;
  const others = (await ws.store.listDeployments(record.environment, 20)).filter(
    (d) => d.id !== record.id && ['BackingUp', 'Applying', 'PostValidating', 'RollingBack'].includes(d.state),
  );
  const plan = decidePlan(body, governing, {
    now,
    ...(env.lastCompletedAt ? { lastDeploymentAt: new Date(env.lastCompletedAt) } : {}),
    activeDeployments: others.length,
  });
  record.requireBackup = governing.requireBackup;
  record.rollbackAutomatic = governing.rollback.automatic;
  if (!record.previousSnapshot && env.activeSnapshot) record.previousSnapshot = env.activeSnapshot;
  if (active) record.previousCommit = active.commit;
  return { plan, desired };
}

export async function planPhase(run: DeploymentRun): Promise<void> {
  const { record } = run;
  const { plan } = await planNow(run);
  record.plan = plan;
  record.planDigest = plan.digest;
  record.decision = plan.policy;
  await decide(run, plan);
}

/** Where the decision sends the deployment: Failed (denied), Pending (not now), AwaitingApproval, or on to BackingUp. */
export async function decide(run: DeploymentRun, plan: Plan): Promise<void> {
  const { record } = run;
  const d = plan.policy;
  const summary = `${plan.summary.added} added, ${plan.summary.modified} modified, ${plan.summary.removed} removed, ${plan.summary.migrations} migration(s), risk ${plan.risk.level}`;
  if (d.outcome === 'denied') {
    throw new HonuaError('deployment-denied', `the ${record.environment} policy denies this change: ${d.reasons.join('; ')}`, { data: { reasons: d.reasons } });
  }
  // Scheduled for a time range that has passed (approved too late, or started late): it does not run.
  if (record.notAfter && run.now() > new Date(record.notAfter))
    return run.move('Expired', `not started by ${record.notAfter}, the end of the time it was scheduled for`);
  // Scheduled for later: approvals are asked for now, so the people who give them have until the
  // time; the window and every other time rule are decided again when it comes.
  if (record.scheduledFor && run.now() < new Date(record.scheduledFor)) {
    if (d.approval.required && !isApproved(record)) return awaitApproval(run, plan, summary);
    record.notBefore = record.scheduledFor;
    return run.move('Pending', `scheduled for ${record.scheduledFor}${d.approval.required ? ' (approved)' : ''} (${summary})`);
  }
  if (d.outcome === 'blocked') {
    if (d.blockedUntil) record.notBefore = d.blockedUntil;
    return run.move('Pending', `not now: ${d.reasons.join('; ')}${d.blockedUntil ? ` (waits until ${d.blockedUntilLocal ?? d.blockedUntil})` : ''}`);
  }
  if (d.outcome === 'needs-approval' && !isApproved(record)) return awaitApproval(run, plan, summary);
  delete record.notBefore;
  await run.move(
    'BackingUp',
    d.outcome === 'needs-approval'
      ? `approved by ${record.approvals
          .filter((a) => a.decision === 'approved' && !a.stale)
          .map((a) => a.by.name)
          .join(', ')} (${summary})`
      : `the policy allows it (${summary})`,
  );
}

/**
 * An approved deployment goes on only with the plan it was approved for: planned again, a
 * different digest makes the approvals stale (the deployment waits for new ones); the same digest
 * goes on to the decision's time rules.
 */
export async function continueApproved(run: DeploymentRun): Promise<'waiting' | 'moved'> {
  const { record } = run;
  const { plan } = await planNow(run);
  if (plan.digest !== record.planDigest) {
    for (const a of record.approvals) a.stale = true;
    record.plan = plan;
    record.planDigest = plan.digest;
    record.decision = plan.policy;
    await run.save();
    run.note(`what would be applied changed since the approval (plan ${plan.digest.slice(7, 19)}); it needs to be approved again`);
    return 'waiting';
  }
  record.plan = plan;
  record.decision = plan.policy;
  await decide(run, plan);
  return 'moved';
}

async function awaitApproval(run: DeploymentRun, plan: Plan, summary: string): Promise<void> {
  const { record } = run;
  const d = plan.policy;
  if (record.autoApprove) {
    throw new HonuaError(
      'auto-approve-refused',
      `--auto-approve is refused: the ${record.environment} policy requires approval (${d.approval.reasons.join('; ') || 'every deployment'})`,
      {
        hint: `Deploy without --auto-approve; an approver (${d.approval.approvers.join(', ') || 'any person'}) then approves it with honua deployment approve.`,
      },
    );
  }
  const since = run.now();
  record.awaitingSince = since.toISOString();
  if (d.approval.timeoutMs) record.approvalDeadline = new Date(since.getTime() + d.approval.timeoutMs).toISOString();
  return run.move('AwaitingApproval', `approval required: ${d.approval.reasons.join('; ') || 'the policy requires it'} (${summary})`);
}
