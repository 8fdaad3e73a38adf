import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { DeploymentOut, deploymentSummary } from './deployment-facts.js';

const OUTCOMES: Record<string, readonly string[]> = {
  failed: ['Failed', 'RolledBack'],
  succeeded: ['Completed'],
  waiting: ['Pending', 'AwaitingApproval'],
};

export const listDeployments = defineTool({
  name: 'list_deployments',
  title: 'List deployments',
  description:
    'An environment\'s deployment history, newest first: id, kind (deploy, migration, rollback, restore), state, commit, who asked, approvals, errors, and what happens next. `outcome: failed` answers "what failed?" (failed or rolled back). Read-only.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    environment: z.string().describe('development, staging, production, ...'),
    limit: z.number().int().min(1).max(100).default(10),
    outcome: z.enum(['any', 'failed', 'succeeded', 'waiting']).default('any').describe('Only these.'),
  }),
  output: z.object({ environment: z.string(), deployments: z.array(DeploymentOut) }),
  async run(input, { engine }) {
    const wanted = OUTCOMES[input.outcome];
    const all = await engine.deployments({ environment: input.environment, limit: wanted ? 100 : input.limit });
    const deployments = all.filter((d) => !wanted || wanted.includes(d.state)).slice(0, input.limit);
    return { environment: input.environment, deployments: deployments.map(deploymentSummary) };
  },
});
