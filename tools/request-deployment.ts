import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';
import { deploymentPlan, planLines } from './operate-facts.js';

export const requestDeployment = defineTool({
  name: 'request_deployment',
  title: 'Request a deployment',
  description:
    "Asks the engine to deploy a commit (or one migration) to an environment. Operate class: a person confirms every call (never covered by --yes), and the deployment still goes through the environment's policy — in production it waits in AwaitingApproval for a human approver, or in Pending for the window. Report the outcome's `next` sentence (the approvers and the command they run); never claim it is approved. There is no approve tool.",
  toolClass: 'operate',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: z.object({
    environment: z.string().describe('development, staging, production, ...'),
    ref: z.string().optional().describe('Commit, branch or tag (default: HEAD).'),
    migration: z.string().optional().describe('Deploy only this migration (id or name) and what it depends on.'),
  }),
  output: DeploymentOut,
  async preview(input, { engine }) {
    const plan = await deploymentPlan(engine, input.environment, input.ref);
    return {
      summary: `Deploy ${input.migration ? `migration ${input.migration} at ` : ''}${input.ref ?? 'HEAD'} to ${plan.environment}.`,
      details: planLines(plan),
      ...(plan.policy.outcome === 'denied' ? { warnings: ['The policy denies this change: the deployment will fail at its decision.'] } : {}),
    };
  },
  async run(input, { engine }) {
    const record = await engine.deploy(
      {
        environment: input.environment,
        kind: input.migration ? 'migration' : 'deploy',
        ...(input.ref ? { ref: input.ref } : {}),
        ...(input.migration ? { migration: input.migration } : {}),
      },
      { via: 'consultant' },
    );
    return deploymentSummary(record);
  },
});
