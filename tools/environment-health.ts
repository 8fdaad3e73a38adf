import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const environmentHealth = defineTool({
  name: 'environment_health',
  title: 'Check an environment’s health',
  description:
    "Runs the health checks of what is deployed in an environment now (`honua test`): each layer's configured checks and the OGC probe, with what passed and what failed, plus the environment's status (sync, last deployment). Read-only: it queries the database and the served layers, changes nothing.",
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ environment: z.string().describe('development, staging, production, ...'), layer: z.string().optional().describe('Only this layer.') }),
  output: z.object({
    environment: z.string(),
    healthy: z.boolean(),
    snapshot: z.string().optional(),
    checks: z.array(z.object({ name: z.string(), source: z.string(), passed: z.boolean(), detail: z.string() })),
    status: z.object({ sync: z.string(), health: z.string(), deployedCommit: z.string().optional(), lastDeployment: z.string().optional() }),
  }),
  async run(input, { engine }) {
    const [verification, [status]] = await Promise.all([
      engine.verify({ environment: input.environment, ...(input.layer ? { layer: input.layer } : {}) }),
      engine.status({ environment: input.environment }),
    ]);
    return {
      environment: input.environment,
      healthy: verification.checks.every((c) => c.passed),
      ...(verification.snapshot ? { snapshot: verification.snapshot } : {}),
      checks: verification.checks.map((c) => ({ name: c.name, source: c.source, passed: c.passed, detail: c.detail })),
      status: {
        sync: status?.sync ?? 'Unknown',
        health: status?.health ?? 'Unknown',
        ...(status?.deployedCommit ? { deployedCommit: status.deployedCommit } : {}),
        ...(status?.lastDeployment ? { lastDeployment: `${status.lastDeployment.id} (${status.lastDeployment.state})` } : {}),
      },
    };
  },
});
