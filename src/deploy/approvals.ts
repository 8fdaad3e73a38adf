import { HonuaError } from '../errors/index.js';
import type { Actor, Approval, DeploymentRecord } from './deployment-record.js';
import { matchesApprover, type User } from './users.js';

/**
 * Approvals are given by people, never by the engine or the consultant. A person approves as one
 * of the policy's approvers (`team:`, `role:`, `user:`); with four-eyes, neither the commit's
 * author nor the person who asked for the deployment may approve it; an approval binds to the
 * plan digest it was given for and does not carry over to a different plan. When the policy names
 * approvers, an approval without an identity (a token) is refused.
 */
const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

export interface ApprovalRequest {
  decision: 'approved' | 'rejected';
  /** The authenticated user, when a token was given. */
  user?: User | undefined;
  actor: Actor;
  comment?: string | undefined;
  now: Date;
}

export function checkApproval(record: DeploymentRecord, request: ApprovalRequest): Approval {
  if (record.state !== 'AwaitingApproval') {
    throw new HonuaError('not-awaiting-approval', `deployment ${record.id} is ${record.state}, not waiting for an approval`, {
      data: { id: record.id, state: record.state },
    });
  }
  if (record.approvalDeadline && request.now > new Date(record.approvalDeadline)) {
    throw new HonuaError('approval-expired', `the approval of ${record.id} was due by ${record.approvalDeadline}`, { hint: 'Deploy again to plan afresh.' });
  }
  const approval = record.decision?.approval;
  const approvers = approval?.approvers ?? [];
  let as = 'anyone (the policy names no approvers)';
  if (approvers.length > 0) {
    if (!request.user) {
      throw new HonuaError('unauthenticated', `approving ${record.id} needs your identity: the policy names its approvers (${approvers.join(', ')})`, {
        hint: 'Set HONUA_TOKEN (or pass --token-file) to the token honua user add gave you.',
      });
    }
    const user = request.user;
    const matched = approvers.find((a) => matchesApprover(user, a));
    if (!matched) {
      throw new HonuaError('not-an-approver', `${user.name} is not one of the approvers of ${record.environment} (${approvers.join(', ')})`, {
        hint: `${user.name} is in teams ${user.teams.join(', ') || 'none'} with roles ${user.roles.join(', ') || 'none'}.`,
        data: { approvers, user: user.name },
      });
    }
    as = matched;
  }
  const who = request.actor;
  if (approval?.fourEyes ?? true) {
    if (record.author && (same(who.email, record.author.email) || same(who.name, record.author.name))) {
      throw new HonuaError(
        'four-eyes',
        `${who.name} wrote commit ${record.commit.slice(0, 7)} and cannot ${request.decision === 'approved' ? 'approve' : 'reject'} its deployment`,
        {
          hint: 'Another approver must review it (four-eyes).',
        },
      );
    }
    if (same(who.email, record.requester.email) || (same(who.name, record.requester.name) && request.decision === 'approved')) {
      throw new HonuaError('four-eyes', `${who.name} asked for deployment ${record.id} and cannot approve it`, {
        hint: 'Another approver must review it (four-eyes).',
      });
    }
  }
  const digest = record.planDigest ?? '';
  if (
    request.decision === 'approved' &&
    record.approvals.some((a) => a.decision === 'approved' && !a.stale && a.planDigest === digest && (same(a.by.email, who.email) || same(a.by.name, who.name)))
  ) {
    throw new HonuaError('already-approved', `${who.name} has approved ${record.id} already`, {
      hint: `It needs ${approval?.minApprovals ?? 1} approval(s) from different people.`,
    });
  }
  return {
    decision: request.decision,
    by: who,
    at: request.now.toISOString(),
    ...(request.comment ? { comment: request.comment } : {}),
    planDigest: digest,
    as,
  };
}

/** Distinct people who approved the current plan. */
export function validApprovals(record: DeploymentRecord): Approval[] {
  const seen = new Set<string>();
  return record.approvals.filter((a) => {
    if (a.decision !== 'approved' || a.stale || a.planDigest !== record.planDigest) return false;
    const key = (a.by.email ?? a.by.name).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const approvalsNeeded = (record: DeploymentRecord): number => Math.max(1, record.decision?.approval.minApprovals ?? 1);

export const isApproved = (record: DeploymentRecord): boolean => validApprovals(record).length >= approvalsNeeded(record);
