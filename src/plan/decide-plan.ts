import { z } from 'zod';
import type { EffectivePolicy } from '../config/index.js';
import { type EvaluationContext, evaluatePolicy, type PlanFacts, PolicyDecisionSchema } from '../policy/index.js';
import { type PlanBody, PlanBodySchema } from './plan.js';

/**
 * The decision step: plan × policy × clock → the plan with what the policy says about it now
 * (`honua.plan/v1`). Pure, and repeatable: a plan decided while a window was closed is decided
 * again, unchanged, when it opens; the digest stays the plan's.
 */
const { warnings: warningsField, ...head } = PlanBodySchema.shape;
export const PlanSchema = z.object({ ...head, policy: PolicyDecisionSchema, warnings: warningsField });
export type Plan = z.infer<typeof PlanSchema>;

/** The facts of a plan that policy rules look at. */
export function planFacts(plan: Pick<PlanBody, 'summary' | 'changes' | 'risk'>): PlanFacts {
  return {
    resourcesAdded: plan.summary.added,
    resourcesRemoved: plan.summary.removed,
    resourcesModified: plan.summary.modified,
    breakingChanges: plan.summary.breaking,
    migrations: plan.summary.migrations,
    riskLevel: plan.risk.level,
    kindsChanged: [...new Set([...plan.changes.map((c) => c.kind), ...(plan.summary.migrations > 0 ? ['Migration'] : [])])],
  };
}

export function decidePlan(plan: PlanBody | Plan, policy: EffectivePolicy, context: EvaluationContext): Plan {
  const { policy: _previous, warnings, ...head } = plan as Plan;
  // The JSON keeps its documented order: ..., rollback, policy, warnings.
  return { ...head, policy: evaluatePolicy(planFacts(plan), policy, context), warnings };
}
