import { z } from 'zod';
import { reviewTarget } from '../src/engine/index.js';
import { ReviewSchema } from '../src/plan/index.js';
import { defineTool } from './define-tool.js';

export const reviewPlanTool = defineTool({
  name: 'review_plan',
  title: 'Review a deployment plan',
  description:
    'A deterministic review of a deployment (by id) or of a branch, tag or commit planned for an environment: verdict, risk factors, breaking changes, lint findings each with its fix (e.g. create the index CONCURRENTLY), the policy decision and the approvers it names, whether a backup and a rollback path exist (migrations without down steps), and what the health checks will and will not catch. Explain from this review; do not invent findings it does not contain. Read-only.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    target: z.string().min(1).describe('A deployment id, or a branch, tag or commit.'),
    environment: z.string().optional().describe('For a branch or commit: the environment to plan it for (default: production when there is one).'),
  }),
  output: ReviewSchema,
  async run(input, { engine }) {
    return reviewTarget(engine, { target: input.target, ...(input.environment ? { environment: input.environment } : {}) }, engine.workspace.clock());
  },
});
