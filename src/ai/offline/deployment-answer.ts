import { type Done, type Step, failed, finished, nobodyToConfirm, problem, question } from './step.js';

/**
 * A deployment as the person reads it, from the deployment tools' output (tools/deployment-facts.ts):
 * what it is, its state, when it runs, and the `next` sentence Honua wrote — who may approve it
 * and how. The planner repeats that sentence rather than saying anything of its own about
 * approvals: it never approves, and never says a deployment is approved when it is not.
 */
export interface DeploymentFacts {
  id: string;
  kind: string;
  environment: string;
  state: string;
  commit: string;
  ref: string;
  requestedBy: string;
  createdAt: string;
  finishedAt?: string;
  notBefore?: string;
  scheduledFor?: string;
  risk?: string;
  approvals: Array<{ by: string; decision: string; at: string }>;
  approvers?: string[];
  migrationsApplied: string[];
  migrationsReverted: string[];
  error?: { code: string; message: string; phase: string };
  incident?: string;
  next: string;
}

/** One deployment in a line: id, kind, state, commit, when and by whom. */
export function deploymentLine(d: DeploymentFacts): string {
  return `${d.id} — ${d.kind}, ${d.state}, commit ${d.commit.slice(0, 7)}${d.ref && !d.commit.startsWith(d.ref) ? ` (${d.ref})` : ''}, ${d.createdAt}, by ${d.requestedBy}${d.error ? `; ${d.error.code}: ${d.error.message}` : ''}`;
}

/** A deployment in full, as the answer to the operation that started it. */
export function deploymentLines(d: DeploymentFacts): string[] {
  return [
    `${d.kind === 'deploy' ? 'Deployment' : d.kind[0]!.toUpperCase() + d.kind.slice(1)} ${d.id} in ${d.environment}: ${d.state}.`,
    `Commit ${d.commit.slice(0, 12)}${d.ref && !d.commit.startsWith(d.ref) ? ` (${d.ref})` : ''}${d.risk ? `; risk ${d.risk}` : ''}; requested by ${d.requestedBy}.`,
    ...(d.scheduledFor ? [`Scheduled for ${d.scheduledFor}.`] : d.notBefore ? [`Not before ${d.notBefore}.`] : []),
    ...(d.migrationsApplied.length > 0 ? [`Migrations applied: ${d.migrationsApplied.join(', ')}.`] : []),
    ...(d.migrationsReverted.length > 0 ? [`Migrations reverted: ${d.migrationsReverted.join(', ')}.`] : []),
    ...(d.error ? [`Error in ${d.error.phase} (${d.error.code}): ${d.error.message}`] : []),
    `Next: ${d.next}`,
  ];
}

/**
 * The answer to an operate call: the deployment it started, or why nothing was started — a person
 * who said no, nobody there to ask (operate calls are never covered by --yes), or an error with
 * its hint. `byPerson` is the command a person runs to do it themselves.
 */
export function operationAnswer(
  d: Done,
  what: string,
  byPerson: string,
  more: { lead?: string[]; extra?: (data: Record<string, unknown>) => string[] } = {},
): Step {
  if (d.ok) {
    const facts = d.data as unknown as DeploymentFacts;
    const failedState = ['Failed', 'RolledBack', 'RollbackFailed', 'Rejected', 'Expired'].includes(facts.state);
    const lines = [...(more.lead ?? []), ...deploymentLines(facts), ...(more.extra?.(d.data) ?? [])];
    return failedState ? failed(lines.join('\n')) : finished(lines.join('\n'));
  }
  if (nobodyToConfirm(d))
    return question(
      `${what} was not done: nobody could confirm it here. A person confirms each operation when it is asked for (--yes never covers them): ask again in \`honua-ai chat --mode operate\`, or a person runs: ${byPerson}`,
    );
  if (d.errorCode === 'not-confirmed') return failed(`${what} was not done: you did not confirm it, so nothing was requested.`);
  return failed(`${what} was not done: ${problem(d)}`);
}
