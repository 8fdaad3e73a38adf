import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';

export const showDeployment = defineTool({
  name: 'show_deployment',
  title: 'Show a deployment',
  description:
    'One deployment by id: its state and what happens next, the plan summary (changes, migrations, risk with reasons, policy decision), its state transitions with reasons, and the checks it ran after applying. Read-only; call it again to follow a deployment that is running.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ id: z.string().min(1).describe('The deployment id, e.g. production-20261208100000-ab12cd3.') }),
  output: DeploymentOut.extend({
    plan: z
      .object({
        summary: z.string(),
        riskReasons: z.array(z.string()),
        migrations: z.array(z.string()),
        policy: z.object({ outcome: z.string(), reasons: z.array(z.string()) }),
      })
      .optional(),
    transitions: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string() })),
    checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
  }),
  async run(input, { engine }) {
    const r = await engine.deployment(input.id);
    const p = r.plan;
    return {
      ...deploymentSummary(r),
      ...(p
        ? {
            plan: {
              summary: `${p.summary.added} added, ${p.summary.modified} modified, ${p.summary.removed} removed, ${p.summary.migrations} migration(s), ${p.summary.breaking} breaking`,
              riskReasons: p.risk.reasons,
              migrations: p.migrations.pending.map((m) => m.name),
              policy: { outcome: p.policy.outcome, reasons: p.policy.reasons },
            },
          }
        : {}),
      transitions: r.transitions.map((t) => ({ at: t.at, from: t.from, to: t.to, reason: t.reason })),
      checks: (r.verification?.checks ?? []).map((c) => ({ name: c.name, passed: c.passed, detail: c.detail })),
    };
  },
});
