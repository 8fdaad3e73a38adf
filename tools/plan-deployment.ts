import { z } from 'zod';
import { deployedCommit } from '../src/engine/index.js';
import { PlanSchema } from '../src/plan/index.js';
import { defineTool } from './define-tool.js';

export const planDeployment = defineTool({
  name: 'plan_deployment',
  title: 'Plan a deployment',
  description:
    'Plans a deployment of the configuration to an environment, exactly as `honua plan` does, without applying anything: the semantic diff, breaking changes, pending migrations in dependency order, the risk (with reasons in plain words) and the policy decision (proceed, needs approval and by whom, wait for a window, denied). Planning never deploys and nothing here approves.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    environment: z.string().optional().describe("Environment to plan for (default: the session's)."),
    ref: z.string().optional().describe('The desired configuration at this commit, branch or tag (default: the working tree).'),
    against: z.string().optional().describe('What is deployed, as a commit (default: the commit the environment runs now, else nothing deployed).'),
  }),
  output: PlanSchema,
  async run(input, { engine }) {
    if (input.against !== undefined) return engine.plan(input);
    // As a deployment would plan it: against what the environment runs (when the state says).
    const deployed = await deployedCommit(engine, input.environment ?? engine.workspace.defaultEnvironment);
    return engine.plan({ ...input, ...(deployed ? { against: deployed } : {}) });
  },
});
