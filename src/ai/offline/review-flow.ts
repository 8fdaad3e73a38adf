import type { Intent } from './intent.js';
import { type Flow, whichEnvironment } from './flow.js';
import { type Done, type Step, call, failed, finished, problem } from './step.js';

/**
 * A review of a deployment, a branch, tag or commit, or a pull request (`review_plan`), told in
 * full: the verdict, every finding with its fix, the policy decision and who approves, the
 * backups, the ways back, and what the health checks will and will not catch. Only what the
 * review holds is said: it is deterministic, and the planner adds nothing of its own.
 */
export type ReviewRequest = Extract<Intent, { kind: 'review' }>;

interface Review {
  target: { kind: string; ref: string; commit?: string; environment: string; url?: string };
  verdict: string;
  summary: string;
  changes: { added: number; modified: number; removed: number; migrations: number };
  risk: { level: string; reasons: string[] };
  breakingChanges: Array<{ key: string; message: string }>;
  findings: Array<{ severity: string; source: string; message: string; fix: string }>;
  policy: { outcome: string; reasons: string[]; approvalRequired: boolean; approvers: string[]; howToApprove?: string; blockedUntil?: string };
  backups: { required: boolean; latest?: { id: string; createdAt: string; ageHours: number }; note: string };
  rollback: { automatic: boolean; migrations: Array<{ id: string; name: string; hasDown: boolean }>; note: string };
  healthChecks: { will: string[]; willNot: string[] };
}

export function reviewStep(r: ReviewRequest, flow: Flow): Step {
  let target = r.target;
  if (target === undefined && r.latestDeployment) {
    if (r.environment === undefined) return whichEnvironment(flow, r, 'review the latest deployment of');
    const listed = flow.last('list_deployments');
    if (!listed) return call('list_deployments', { environment: r.environment, limit: 1 });
    if (!listed.ok) return failed(`I could not list the deployments of ${r.environment}: ${problem(listed)}`);
    target = ((listed.data as { deployments?: Array<{ id: string }> }).deployments ?? [])[0]?.id;
    if (target === undefined) return finished(`${r.environment} has no deployments to review. Review a branch instead ("review the branch feature/…").`);
  }
  const done = flow.last('review_plan');
  if (!done)
    return call('review_plan', { target: target ?? 'HEAD', ...(r.environment !== undefined && !r.latestDeployment ? { environment: r.environment } : {}) });
  return done.ok ? finished(describeReview(done)) : failed(`I could not review ${target ?? 'HEAD'}: ${problem(done)}`);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeReview(d: Done): string {
  const r = d.data as unknown as Review;
  const what = r.target.kind === 'deployment' ? `deployment ${r.target.ref}` : r.target.kind === 'pull-request' ? `pull request ${r.target.ref}` : r.target.ref;
  const p = r.policy;
  // howToApprove is Honua's sentence (who, and the command); without it, the approvers and the command.
  const approval = !p.approvalRequired
    ? 'It needs no approval.'
    : p.howToApprove
      ? `Approval: ${p.howToApprove.replace(/\.\s*$/, '')}.`
      : `It needs an approval by ${p.approvers.length > 0 ? p.approvers.join(' or ') : 'an approver the policy names'} (\`honua deployment approve ID\`); the consultant cannot approve.`;
  const noDown = r.rollback.migrations.filter((m) => !m.hasDown);
  return [
    `Review of ${what}${r.target.commit ? ` (commit ${r.target.commit.slice(0, 7)})` : ''} for ${r.target.environment}: ${r.verdict}.${r.target.url ? ` ${r.target.url}` : ''}`,
    r.summary,
    `Changes: ${r.changes.added} added, ${r.changes.modified} modified, ${r.changes.removed} removed, ${plural(r.changes.migrations, 'migration')}. Risk: ${r.risk.level}${r.risk.reasons.length > 0 ? ` — ${r.risk.reasons.join('; ')}` : ''}.`,
    ...(r.breakingChanges.length > 0 ? ['Breaking changes:', ...r.breakingChanges.map((b) => `  - ${b.key}: ${b.message}`)] : []),
    ...(r.findings.length > 0
      ? [`Findings (${r.findings.length}):`, ...r.findings.flatMap((f) => [`  - ${f.severity} [${f.source}]: ${f.message}`, `    Fix: ${f.fix}`])]
      : ['Findings: none.']),
    `Policy: ${p.outcome}${p.reasons.length > 0 ? ` — ${p.reasons.join('; ')}` : ''}. ${approval}${p.blockedUntil ? ` It cannot start before ${p.blockedUntil}.` : ''}`,
    `Backups: ${r.backups.note}${r.backups.latest ? ` Latest: ${r.backups.latest.id} (${r.backups.latest.ageHours} h old).` : ''}`,
    `Rollback: ${r.rollback.note}${noDown.length > 0 ? ` Without down steps: ${noDown.map((m) => m.name).join(', ')}.` : ''}`,
    `The health checks will catch: ${r.healthChecks.will.join('; ') || 'nothing configured'}.`,
    `They will not catch: ${r.healthChecks.willNot.join('; ') || 'nothing named'}.`,
  ].join('\n');
}
