import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';
import { deploymentPlan, planLines } from './operate-facts.js';

export const scheduleDeployment = defineTool({
  name: 'schedule_deployment',
  title: 'Schedule a deployment',
  description:
    'Asks the engine to deploy a commit (or one migration) to an environment at a later time, read in the policy\'s time zone: "next-tuesday 10:00", a range "next-tuesday 10:00-12:00" (not started by the end, it expires), "2026-12-08 10:00" or ISO 8601. A time outside every window of the policy (or in a blackout) is refused with the next allowed slot — schedule that instead. The deployment waits in Pending until then; where the policy needs an approval it is asked for at once. Operate class: a person confirms every call; there is no approve tool.',
  toolClass: 'operate',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: z.object({
    environment: z.string(),
    at: z.string().min(1).describe('When: "next-tuesday 10:00", "next-tuesday 10:00-12:00", "2026-12-08 10:00", ISO 8601.'),
    ref: z.string().optional().describe('Commit, branch or tag (default: HEAD).'),
    migration: z.string().optional().describe('Deploy only this migration (id or name) and what it depends on.'),
  }),
  output: DeploymentOut,
  async preview(input, { engine }) {
    const request = {
      environment: input.environment,
      kind: input.migration ? ('migration' as const) : ('deploy' as const),
      schedule: input.at,
      ...(input.ref ? { ref: input.ref } : {}),
      ...(input.migration ? { migration: input.migration } : {}),
    };
    // Refused here, before anyone is asked, when the time is outside the policy.
    const slot = await engine.schedule(request);
    // The policy as it will decide at the time asked for, not now.
    const plan = await deploymentPlan(engine, input.environment, input.ref, slot.scheduledFor);
    return {
      summary: `Schedule ${input.migration ? `migration ${input.migration} at ` : ''}${input.ref ?? 'HEAD'} for ${plan.environment} at ${slot.local}.`,
      details: [`Runs at ${slot.scheduledFor}${slot.notAfter ? `, expires if not started by ${slot.notAfter}` : ''}.`, ...planLines(plan)],
      state: request,
    };
  },
  async run(input, { engine }, prepared) {
    const request = (prepared as Parameters<typeof engine.deploy>[0] | undefined) ?? {
      environment: input.environment,
      kind: input.migration ? 'migration' : 'deploy',
      schedule: input.at,
      ...(input.ref ? { ref: input.ref } : {}),
      ...(input.migration ? { migration: input.migration } : {}),
    };
    return deploymentSummary(await engine.deploy(request, { via: 'consultant' }));
  },
});
