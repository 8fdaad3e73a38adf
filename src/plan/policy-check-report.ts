import { z } from 'zod';
import { PolicyDecisionSchema } from '../policy/index.js';
import { RiskSchema, SummarySchema } from './formats.js';
import type { Plan } from './decide-plan.js';

/** The JSON output of `honua policy-check`: the decision and what it was made about. */
export const PolicyCheckReportSchema = z.object({
  schemaVersion: z.literal('honua.policy-check/v1'),
  environment: z.string(),
  summary: SummarySchema.extend({ migrations: z.number().int(), breaking: z.number().int() }),
  risk: RiskSchema,
  policySource: z.enum(['baseline', 'base', 'desired']),
  decision: PolicyDecisionSchema,
});
export type PolicyCheckReport = z.infer<typeof PolicyCheckReportSchema>;

export const policyCheckReport = (plan: Plan): PolicyCheckReport => ({
  schemaVersion: 'honua.policy-check/v1',
  environment: plan.environment,
  summary: plan.summary,
  risk: plan.risk,
  policySource: plan.policySource,
  decision: plan.policy,
});
