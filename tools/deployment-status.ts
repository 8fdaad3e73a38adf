import { z } from 'zod';
import { EnvironmentStatusSchema } from '../src/deploy/index.js';
import { defineTool } from './define-tool.js';

export const deploymentStatus = defineTool({
  name: 'deployment_status',
  title: 'Deployment status',
  description:
    'What runs in each environment (or one): the deployed commit, whether it matches the repository (sync), health, the last deployment, deployments in progress or waiting (for an approval or a window), quarantined commits and the DORA figures — exactly `honua status`. Read-only.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ environment: z.string().optional().describe('One environment (default: all).') }),
  output: z.object({ environments: z.array(EnvironmentStatusSchema) }),
  async run(input, { engine }) {
    return { environments: await engine.status(input.environment !== undefined ? { environment: input.environment } : {}) };
  },
});
