import { z } from 'zod';
import type { DeploymentRecord } from '../src/deploy/index.js';

/**
 * A deployment as the consultant needs it — its state, what it waits for and who can move it on —
 * cut from the record (the full record, with its plan, is `show_deployment`'s). `next` is written
 * by Honua from the record, so the model repeats facts rather than guessing who approves.
 */
export const DeploymentOut = z.object({
  id: z.string(),
  kind: z.string(),
  environment: z.string(),
  state: z.string(),
  commit: z.string(),
  ref: z.string(),
  requestedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  notBefore: z.string().optional(),
  scheduledFor: z.string().optional(),
  risk: z.string().optional(),
  approvals: z.array(z.object({ by: z.string(), decision: z.string(), at: z.string() })),
  approvers: z.array(z.string()).optional().meta({ description: 'Who may approve it, when it waits for an approval.' }),
  migrationsApplied: z.array(z.string()),
  migrationsReverted: z.array(z.string()),
  backupTaken: z.string().optional().meta({ description: 'The backup this deployment took before it changed the database.' }),
  error: z.object({ code: z.string(), message: z.string(), phase: z.string() }).optional(),
  incident: z.string().optional().meta({ description: 'The incident report (Markdown file), when one was written.' }),
  next: z.string().meta({ description: 'What happens next and who can do it, in one sentence.' }),
});
export type DeploymentSummary = z.infer<typeof DeploymentOut>;

export function nextStep(r: DeploymentRecord): string {
  const approvers = r.decision?.approval.approvers ?? [];
  const who = approvers.length > 0 ? `an approver (${approvers.join(', ')})` : 'a person allowed by the policy';
  switch (r.state) {
    case 'AwaitingApproval':
      return `It waits for ${who} to approve it: \`honua deployment approve ${r.id}\` (or reject it with \`honua deployment reject ${r.id}\`)${r.approvalDeadline ? `, before ${r.approvalDeadline}` : ''}${r.scheduledFor ? `; it then runs at ${r.scheduledFor}` : ''}. The consultant cannot approve.`;
    case 'Pending':
      return r.notBefore
        ? `It waits until ${r.notBefore}${r.scheduledFor ? ' (the time it was scheduled for)' : " (the policy's window)"}; the server (or \`honua deployment resume ${r.id}\`) starts it then.`
        : `It has not started; \`honua deployment resume ${r.id}\` starts it.`;
    case 'Completed':
      return 'It is deployed and verified.';
    case 'RolledBack':
      return `It failed its checks and was rolled back; the incident report says why (read_incident ${r.id}).`;
    case 'Failed':
      return `It failed${r.error ? ` in ${r.error.phase}: ${r.error.message}` : ''}; the incident report (read_incident ${r.id}) has the evidence.`;
    case 'Rejected':
      return 'A person rejected it.';
    case 'Expired':
      return 'Nobody approved (or started) it in time; request it again if it is still wanted.';
    default:
      return `It is running (${r.state}); show_deployment ${r.id} follows it.`;
  }
}

export function deploymentSummary(r: DeploymentRecord): DeploymentSummary {
  return {
    id: r.id,
    kind: r.kind,
    environment: r.environment,
    state: r.state,
    commit: r.commit.slice(0, 12),
    ref: r.ref,
    requestedBy: `${r.requester.name} via ${r.requester.via}`,
    createdAt: r.createdAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.notBefore ? { notBefore: r.notBefore } : {}),
    ...(r.scheduledFor ? { scheduledFor: r.scheduledFor } : {}),
    ...(r.plan ? { risk: r.plan.risk.level } : {}),
    approvals: r.approvals.map((a) => ({ by: a.by.name, decision: a.decision, at: a.at })),
    ...(r.state === 'AwaitingApproval' ? { approvers: r.decision?.approval.approvers ?? [] } : {}),
    migrationsApplied: r.migrationsApplied,
    migrationsReverted: r.migrationsReverted,
    ...(r.backup ? { backupTaken: r.backup.id } : {}),
    ...(r.error ? { error: { code: r.error.code, message: r.error.message, phase: r.error.phase } } : {}),
    ...(r.incidentReport ? { incident: r.incidentReport.markdown } : {}),
    next: nextStep(r),
  };
}
