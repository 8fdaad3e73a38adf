import { z } from 'zod';

/** What policy evaluation decides for a plan at a moment; part of the plan format. */
export const PolicyCheckSchema = z.object({
  id: z.enum(['breaking-changes', 'deployment-window', 'blackout', 'cooldown', 'concurrency', 'approval', 'backup']),
  status: z.enum(['pass', 'fail', 'info']),
  message: z.string(),
});
export type PolicyCheck = z.infer<typeof PolicyCheckSchema>;

export const PolicyDecisionSchema = z.object({
  environment: z.string(),
  outcome: z.enum(['proceed', 'needs-approval', 'blocked', 'denied']).meta({
    description:
      'proceed: deploy now; needs-approval: a human must approve; blocked: not now (window, blackout, cooldown, concurrency); denied: the policy forbids this change.',
  }),
  evaluatedAt: z.string(),
  timezone: z.string(),
  policyFiles: z.array(z.string()),
  reasons: z.array(z.string()),
  approval: z.object({
    required: z.boolean(),
    reasons: z.array(z.string()),
    approvers: z.array(z.string()),
    minApprovals: z.number().int(),
    fourEyes: z.boolean(),
    timeoutMs: z.number().optional(),
  }),
  checks: z.array(PolicyCheckSchema),
  blockedUntil: z.string().optional().meta({ description: 'Earliest time (UTC) the time-based checks pass.' }),
  blockedUntilLocal: z.string().optional(),
  cooldownRemainingMs: z.number().optional(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;
