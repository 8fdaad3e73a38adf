import type { Intent } from './intent.js';
import { type DeploymentFacts, deploymentLine, deploymentLines } from './deployment-answer.js';
import { type Flow, environmentNames, whichEnvironment } from './flow.js';
import { type Done, type Step, call, failed, finished, problem, report } from './step.js';

/**
 * Questions about what runs: status and sync, the deployment history, what failed and why (the
 * newest failure's incident report), health, backups. Read tools only, in every mode; answers
 * are built from what the tools return — the reason, the evidence and the recommendations of an
 * incident are Honua's, never guessed.
 */
export type EnvironmentQuestion = Extract<Intent, { kind: 'status' | 'deployment' | 'history' | 'incident' | 'health' | 'backups' }>;

export function environmentStep(q: EnvironmentQuestion, flow: Flow): Step {
  const env = 'environment' in q && q.environment !== undefined ? { environment: q.environment } : {};
  switch (q.kind) {
    case 'status': {
      const r = flow.last('deployment_status');
      return r ? report(r, describeStatus, 'I could not read the status') : call('deployment_status', env);
    }
    case 'deployment': {
      const r = flow.last('show_deployment');
      return r ? report(r, describeDeployment, `I could not read ${q.id}`) : call('show_deployment', { id: q.id });
    }
    case 'history': {
      if (q.environment === undefined) return whichEnvironment(flow, q, 'show the deployments of');
      const r = flow.last('list_deployments');
      if (!r) return call('list_deployments', { environment: q.environment, limit: q.limit ?? 10, ...(q.outcome ? { outcome: q.outcome } : {}) });
      return report(r, (d) => describeHistory(d, q.outcome), 'I could not list the deployments');
    }
    case 'incident':
      return incidentStep(q, flow);
    case 'health': {
      // Without an environment: the health every environment's status reports.
      if (q.environment === undefined) {
        const r = flow.last('deployment_status');
        return r ? report(r, describeStatus, 'I could not read the status') : call('deployment_status');
      }
      const r = flow.last('environment_health');
      return r
        ? report(r, describeHealth, 'The health checks could not run')
        : call('environment_health', { environment: q.environment, ...(q.layer ? { layer: q.layer } : {}) });
    }
    case 'backups': {
      const r = flow.last('list_backups');
      return r ? report(r, describeBackups, 'I could not list the backups') : call('list_backups', env);
    }
  }
}

/**
 * What failed: a named deployment's incident report; else the newest failed or rolled-back
 * deployment (of the environment, or of each environment in turn) and its report.
 */
function incidentStep(q: EnvironmentQuestion & { kind: 'incident' }, flow: Flow): Step {
  const read = flow.last('read_incident');
  if (read) return read.ok ? finished(describeIncident(read, failures(flow))) : failed(`I could not read the incident report: ${problem(read)}`);
  if (q.deployment !== undefined) return call('read_incident', { id: q.deployment });
  let environments: string[];
  if (q.environment !== undefined) environments = [q.environment];
  else {
    const envs = flow.last('list_environments');
    if (!envs) return call('list_environments');
    if (!envs.ok) return failed(`I could not list the environments: ${problem(envs)}`);
    environments = environmentNames(envs);
  }
  const listed = flow.done.filter((d) => d.name === 'list_deployments');
  const next = environments.find((e) => !listed.some((d) => d.args.environment === e));
  if (next !== undefined) return call('list_deployments', { environment: next, outcome: 'failed', limit: 5 });
  const broken = listed.find((d) => !d.ok);
  if (broken && listed.every((d) => !d.ok)) return failed(`I could not list the deployments: ${problem(broken)}`);
  const newest = failures(flow)[0];
  if (!newest) return finished(`No deployment failed or was rolled back recently in ${environments.join(', ')}.`);
  return call('read_incident', { id: newest.id });
}

/** The failed and rolled-back deployments listed this turn, newest first. */
function failures(flow: Flow): DeploymentFacts[] {
  return flow.done
    .filter((d) => d.name === 'list_deployments' && d.ok)
    .flatMap((d) => (d.data as { deployments?: DeploymentFacts[] }).deployments ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function describeIncident(r: Done, others: DeploymentFacts[]): string {
  const i = r.data as {
    id: string;
    deployment: string;
    environment: string;
    commit: string;
    status: string;
    reason: string;
    phase: string;
    evidence: Array<{ check: string; source: string; detail: string; passed: boolean }>;
    undone: string[];
    leftIn: string;
    quarantined: boolean;
    recommendations: string[];
  };
  const failedChecks = i.evidence.filter((e) => !e.passed);
  const earlier = others.filter((o) => o.id !== i.deployment);
  return [
    `${i.deployment} (${i.environment}, commit ${i.commit.slice(0, 7)}) ${i.status.toLowerCase()} in ${i.phase}.`,
    `Why: ${i.reason}`,
    ...(failedChecks.length > 0 ? ['Evidence:', ...failedChecks.map((e) => `  - ${e.check} (${e.source}): ${e.detail}`)] : []),
    ...(i.undone.length > 0 ? [`Undone: ${i.undone.join('; ')}.`] : []),
    `Left in: ${i.leftIn}.${i.quarantined ? ` Commit ${i.commit.slice(0, 7)} is quarantined: it is not deployed again until a newer commit arrives.` : ''}`,
    ...(i.recommendations.length > 0 ? ['Recommendations:', ...i.recommendations.map((x) => `  - ${x}`)] : []),
    ...(earlier.length > 0 ? ['Earlier failures:', ...earlier.slice(0, 5).map((o) => `  ${deploymentLine(o)}`)] : []),
    `The full report: incident ${i.id}.`,
  ].join('\n');
}

function describeDeployment(r: Done): string {
  const d = r.data as unknown as DeploymentFacts & {
    plan?: { summary: string; riskReasons: string[]; migrations: string[]; policy: { outcome: string; reasons: string[] } };
    transitions: Array<{ at: string; from: string | null; to: string; reason: string }>;
    checks: Array<{ name: string; passed: boolean; detail: string }>;
  };
  return [
    ...deploymentLines(d),
    ...(d.plan
      ? [
          `Plan: ${d.plan.summary}${d.plan.migrations.length > 0 ? ` (${d.plan.migrations.join(', ')})` : ''}.`,
          ...(d.plan.riskReasons.length > 0 ? [`Risk: ${d.plan.riskReasons.join('; ')}.`] : []),
          `Policy: ${d.plan.policy.outcome}${d.plan.policy.reasons.length > 0 ? ` — ${d.plan.policy.reasons.join('; ')}` : ''}.`,
        ]
      : []),
    ...(d.approvals.length > 0 ? [`Approvals: ${d.approvals.map((a) => `${a.decision} by ${a.by} at ${a.at}`).join('; ')}.`] : []),
    ...(d.transitions.length > 0 ? ['Timeline:', ...d.transitions.map((t) => `  ${t.at} ${t.from ?? '—'} → ${t.to}: ${t.reason}`)] : []),
    ...(d.checks.length > 0 ? ['Checks:', ...d.checks.map((c) => `  ${c.passed ? 'pass' : 'FAIL'} ${c.name}: ${c.detail}`)] : []),
  ].join('\n');
}

function describeStatus(r: Done): string {
  const envs = (
    r.data as {
      environments: Array<{
        environment: string;
        deployedCommit?: string;
        desiredCommit?: string;
        sync: string;
        syncReason: string;
        health: string;
        healthReason?: string;
        lastDeployment?: { id: string; state: string; commit: string; createdAt: string };
        inProgress: Array<{ id: string; state: string; notBefore?: string; commit: string }>;
        quarantined: Array<{ commit: string; deploymentId: string; reason: string }>;
      }>;
    }
  ).environments;
  if (envs.length === 0) return 'No environment has a status yet.';
  return envs
    .map((e) =>
      [
        `${e.environment}: ${e.sync} (${e.syncReason}); ${e.health}${e.healthReason ? ` (${e.healthReason})` : ''}.`,
        `  Running: ${e.deployedCommit ? `commit ${e.deployedCommit.slice(0, 12)}` : 'nothing deployed'}${e.desiredCommit && e.desiredCommit !== e.deployedCommit ? `; the repository asks for ${e.desiredCommit.slice(0, 12)}` : ''}.`,
        ...(e.lastDeployment ? [`  Last deployment: ${e.lastDeployment.id} (${e.lastDeployment.state}, ${e.lastDeployment.createdAt}).`] : []),
        ...e.inProgress.map((p) => `  In progress: ${p.id} (${p.state}${p.notBefore ? `, not before ${p.notBefore}` : ''}).`),
        ...e.quarantined.map((q) => `  Quarantined: commit ${q.commit.slice(0, 7)} (${q.deploymentId}): ${q.reason}.`),
      ].join('\n'),
    )
    .join('\n');
}

function describeHistory(r: Done, outcome: string | undefined): string {
  const h = r.data as { environment: string; deployments: DeploymentFacts[] };
  const which = outcome === undefined ? '' : `${outcome} `;
  if (h.deployments.length === 0) return `${h.environment} has no ${which}deployments${outcome ? ' recently' : ' yet'}.`;
  const waiting = h.deployments.filter((d) => d.state === 'AwaitingApproval' || d.state === 'Pending');
  return [
    `The last ${h.deployments.length} ${which}deployment${h.deployments.length === 1 ? '' : 's'} of ${h.environment}, newest first:`,
    ...h.deployments.map((d) => `  ${deploymentLine(d)}`),
    ...waiting.map((d) => `${d.id}: ${d.next}`),
  ].join('\n');
}

function describeHealth(r: Done): string {
  const h = r.data as {
    environment: string;
    healthy: boolean;
    checks: Array<{ name: string; source: string; passed: boolean; detail: string }>;
    status: { sync: string; health: string; deployedCommit?: string; lastDeployment?: string };
  };
  const failing = h.checks.filter((c) => !c.passed);
  return [
    `${h.environment} is ${h.healthy ? 'healthy' : 'not healthy'}: ${h.checks.length - failing.length} of ${h.checks.length} checks pass.`,
    ...failing.map((c) => `  FAIL ${c.name} (${c.source}): ${c.detail}`),
    `Status: ${h.status.sync}, ${h.status.health}${h.status.deployedCommit ? `, running ${h.status.deployedCommit.slice(0, 12)}` : ''}${h.status.lastDeployment ? `; last deployment ${h.status.lastDeployment}` : ''}.`,
  ].join('\n');
}

function describeBackups(r: Done): string {
  const b = r.data as {
    environment: string;
    backups: Array<{ id: string; createdAt: string; ageHours: number; kind: string; bytes?: number; tables: number }>;
  };
  if (b.backups.length === 0) return `${b.environment} has no backups. \`honua backup create -e ${b.environment}\` takes one.`;
  return [
    `Backups of ${b.environment}, newest first (restoring one loses what was written after it):`,
    ...b.backups.map(
      (x) =>
        `  ${x.id} — ${x.createdAt} (${x.ageHours} h ago), ${x.kind}, ${x.tables} tables${x.bytes !== undefined ? `, ${Math.round(x.bytes / 1024)} KiB` : ''}`,
    ),
  ].join('\n');
}
