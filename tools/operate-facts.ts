import { commitOf, type Engine } from '../src/engine/index.js';
import type { Plan } from '../src/plan/index.js';

/**
 * What a person reads before confirming an operate call, computed by Honua: the plan of what
 * would be applied and what the policy will then ask for. The confirmation is never the
 * approval: the lines say so, and who approves.
 */
export async function deploymentPlan(engine: Engine, environment: string, ref: string | undefined, at?: string): Promise<Plan> {
  const deployed = commitOf((await engine.status({ environment }))[0]);
  return engine.plan({ environment, ...(ref ? { ref } : {}), ...(deployed ? { against: deployed } : {}), ...(at ? { at } : {}) });
}

/** Rollbacks and restores are deployments too: the environment's policy still decides, and a confirmation is never an approval. */
export const NOT_AN_APPROVAL =
  "Confirming here is not approving: where the environment's policy requires an approval, it waits for an approver (honua deployment approve ID).";

export function planLines(plan: Plan): string[] {
  const p = plan.policy;
  return [
    `Changes: ${plan.summary.added} added, ${plan.summary.modified} modified, ${plan.summary.removed} removed; ${plan.summary.migrations} migration(s)${plan.migrations.pending.length > 0 ? ` (${plan.migrations.pending.map((m) => m.name).join(', ')})` : ''}; ${plan.summary.breaking} breaking.`,
    `Risk: ${plan.risk.level}${plan.risk.reasons.length > 0 ? ` — ${plan.risk.reasons.slice(0, 3).join('; ')}` : ''}.`,
    `Policy: ${p.outcome}${p.reasons.length > 0 ? ` — ${p.reasons.join('; ')}` : ''}.`,
    ...(p.approval.required
      ? [
          `Confirming here does not approve it: it will wait for ${p.approval.approvers.length > 0 ? p.approval.approvers.join(' or ') : 'an approver'} (honua deployment approve ID).`,
        ]
      : []),
  ];
}
