import {
  compare,
  describeComparison,
  parseComparison,
  formatDuration,
  RISK_LEVELS,
  type ApprovalRule,
  type RiskLevel,
  type EffectivePolicy,
} from '../config/index.js';
import type { PolicyCheck, PolicyDecision } from './decision.js';
import { activeBlackout, describeWindow, earliestAllowed, formatLocal, inWindow } from './schedule.js';

/**
 * Evaluates a policy for a change at a moment. Pure: the facts of the plan, the effective
 * policy and the clock in; a decision with its reasons out.
 *
 * Outcome precedence: denied (the policy forbids the change) > blocked (not now: window,
 * blackout, cooldown, concurrency) > needs-approval > proceed.
 */
export interface PlanFacts {
  resourcesAdded: number;
  resourcesRemoved: number;
  resourcesModified: number;
  breakingChanges: number;
  migrations: number;
  riskLevel: RiskLevel;
  kindsChanged: string[];
}

export interface EvaluationContext {
  now: Date;
  /** When the last deployment to this environment finished (for the cooldown). */
  lastDeploymentAt?: Date;
  /** Deployments to this environment running now (for the concurrency limit). */
  activeDeployments?: number;
}

const holds = (cond: boolean | number | string, count: number): boolean => {
  if (typeof cond === 'boolean') return cond ? count > 0 : count === 0;
  if (typeof cond === 'number') return count === cond;
  const c = parseComparison(cond);
  return c ? compare(count, c) : false;
};

const condText = (cond: boolean | number | string, what: string, count: number): string => {
  if (typeof cond === 'boolean') return `${what} (${count})`;
  const c = typeof cond === 'number' ? { op: '=' as const, value: cond } : parseComparison(cond);
  return `${c ? describeComparison(c) : cond} ${what} (${count})`;
};

/** The reasons a rule gives for approval, or undefined when the rule does not hold. */
export function ruleMatches(rule: ApprovalRule, facts: PlanFacts): string | undefined {
  const parts: string[] = [];
  const check = (cond: boolean | number | string | undefined, count: number, what: string): boolean => {
    if (cond === undefined) return true;
    if (!holds(cond, count)) return false;
    parts.push(condText(cond, what, count));
    return true;
  };
  if (!check(rule.resourcesAdded, facts.resourcesAdded, 'resources added')) return undefined;
  if (!check(rule.resourcesRemoved, facts.resourcesRemoved, 'resources removed')) return undefined;
  if (!check(rule.resourcesModified, facts.resourcesModified, 'resources modified')) return undefined;
  if (!check(rule.migrations, facts.migrations, 'migrations')) return undefined;
  if (rule.breakingChanges !== undefined && !check(rule.breakingChanges, facts.breakingChanges, 'breaking changes')) return undefined;
  if (rule.riskLevel !== undefined) {
    if (RISK_LEVELS.indexOf(facts.riskLevel) < RISK_LEVELS.indexOf(rule.riskLevel)) return undefined;
    parts.push(`risk ${facts.riskLevel} (rule: ${rule.riskLevel} or above)`);
  }
  if (rule.kinds !== undefined) {
    const hit = rule.kinds.filter((k) => facts.kindsChanged.includes(k));
    if (hit.length === 0) return undefined;
    parts.push(`${hit.join(', ')} changed`);
  }
  return parts.join(' and ');
}

export function evaluatePolicy(facts: PlanFacts, policy: EffectivePolicy, context: EvaluationContext): PolicyDecision {
  const { now } = context;
  const zone = policy.window?.timezone ?? policy.timezone;
  const checks: PolicyCheck[] = [];
  const reasons: string[] = [];
  const nothing = facts.resourcesAdded + facts.resourcesRemoved + facts.resourcesModified + facts.migrations === 0;
  const policyName = policy.isDefault ? `built-in ${policy.environment} default` : policy.sources.join(' + ');

  // Breaking changes
  let denied = false;
  if (facts.breakingChanges === 0) checks.push({ id: 'breaking-changes', status: 'pass', message: 'No breaking changes' });
  else if (policy.allowBreakingChanges)
    checks.push({ id: 'breaking-changes', status: 'pass', message: `${facts.breakingChanges} breaking change(s), allowed in ${policy.environment}` });
  else {
    denied = true;
    const msg = `${facts.breakingChanges} breaking change(s), and ${policy.environment} does not allow breaking changes`;
    checks.push({ id: 'breaking-changes', status: 'fail', message: msg });
    reasons.push(msg);
  }

  // Time: window, blackout, cooldown. With nothing to deploy there is nothing to hold back.
  let blocked = false;
  if (nothing) {
    checks.push({ id: 'deployment-window', status: 'pass', message: 'Nothing to deploy; time rules do not apply' });
  } else if (policy.window) {
    if (inWindow(now, policy.window))
      checks.push({ id: 'deployment-window', status: 'pass', message: `Within deployment window (${describeWindow(policy.window)})` });
    else {
      blocked = true;
      const msg = `Outside deployment window (${describeWindow(policy.window)})`;
      checks.push({ id: 'deployment-window', status: 'fail', message: msg });
      reasons.push(msg);
    }
  }
  const blackout = nothing ? undefined : activeBlackout(now, policy.blackouts);
  if (blackout) {
    blocked = true;
    const msg = `In blackout${blackout.name ? ` "${blackout.name}"` : ''} until ${formatLocal(new Date(blackout.end), zone)}${blackout.reason ? ` (${blackout.reason})` : ''}`;
    checks.push({ id: 'blackout', status: 'fail', message: msg });
    reasons.push(msg);
  } else if (policy.blackouts.length > 0) {
    checks.push({ id: 'blackout', status: 'pass', message: 'No blackout period in effect' });
  }
  let cooldownEnd: Date | undefined;
  let cooldownRemainingMs: number | undefined;
  if (policy.cooldownMs > 0 && !nothing) {
    if (context.lastDeploymentAt) {
      cooldownEnd = new Date(context.lastDeploymentAt.getTime() + policy.cooldownMs);
      if (cooldownEnd > now) {
        blocked = true;
        cooldownRemainingMs = cooldownEnd.getTime() - now.getTime();
        const msg = `Cooldown: ${formatDuration(cooldownRemainingMs)} left of the ${formatDuration(policy.cooldownMs)} cooldown after the last deployment (${formatLocal(context.lastDeploymentAt, zone)})`;
        checks.push({ id: 'cooldown', status: 'fail', message: msg });
        reasons.push(msg);
      } else {
        checks.push({ id: 'cooldown', status: 'pass', message: `Cooldown period (${formatDuration(policy.cooldownMs)}): satisfied` });
      }
    } else {
      checks.push({ id: 'cooldown', status: 'pass', message: `Cooldown period (${formatDuration(policy.cooldownMs)}): no earlier deployment` });
    }
  }
  const active = context.activeDeployments ?? 0;
  if (active >= policy.maxConcurrentDeployments && !nothing) {
    blocked = true;
    const msg = `${active} deployment(s) already running; the limit is ${policy.maxConcurrentDeployments}`;
    checks.push({ id: 'concurrency', status: 'fail', message: msg });
    reasons.push(msg);
  } else {
    checks.push({ id: 'concurrency', status: 'pass', message: `Concurrent deployments: ${active} of ${policy.maxConcurrentDeployments}` });
  }

  // Approval
  const approvalReasons: string[] = [];
  if (!nothing) {
    if (!policy.autoApprove) approvalReasons.push(`every deployment to ${policy.environment} needs approval (${policyName})`);
    for (const rule of policy.approvalRules) {
      const why = ruleMatches(rule, facts);
      if (why !== undefined) approvalReasons.push(`approval rule: ${why}`);
    }
  }
  const approvalRequired = approvalReasons.length > 0;
  checks.push({
    id: 'approval',
    status: 'info',
    message: nothing
      ? 'Nothing to deploy; no approval needed'
      : approvalRequired
        ? `Approval required: ${approvalReasons.join('; ')}${policy.approvers.length > 0 ? ` — approvers: ${policy.approvers.join(', ')}` : ''}`
        : 'No approval needed (auto-approve, no approval rule matched)',
  });
  if (policy.requireBackup && !nothing) checks.push({ id: 'backup', status: 'info', message: 'Backup required before applying' });

  const decision: PolicyDecision = {
    environment: policy.environment,
    outcome: denied ? 'denied' : blocked ? 'blocked' : approvalRequired ? 'needs-approval' : 'proceed',
    evaluatedAt: now.toISOString(),
    timezone: zone,
    policyFiles: policy.sources,
    reasons: denied || blocked ? reasons : approvalRequired ? approvalReasons : [nothing ? 'nothing to deploy' : 'all policy checks pass'],
    approval: {
      required: approvalRequired,
      reasons: approvalReasons,
      approvers: policy.approvers,
      minApprovals: policy.minApprovals,
      fourEyes: policy.fourEyes,
      ...(policy.approvalTimeoutMs !== undefined ? { timeoutMs: policy.approvalTimeoutMs } : {}),
    },
    checks,
  };
  if (cooldownRemainingMs !== undefined) decision.cooldownRemainingMs = cooldownRemainingMs;
  const timeBlocked = checks.some((c) => c.status === 'fail' && ['deployment-window', 'blackout', 'cooldown'].includes(c.id));
  if (timeBlocked) {
    const until = earliestAllowed(now, policy, cooldownEnd);
    if (until) {
      decision.blockedUntil = until.toISOString();
      decision.blockedUntilLocal = formatLocal(until, zone);
      decision.reasons.push(`next allowed: ${decision.blockedUntilLocal}`);
    } else {
      decision.reasons.push('no allowed time within the next year: check the window and blackout periods');
    }
  }
  return decision;
}
