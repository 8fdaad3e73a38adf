import { z } from 'zod';
import { type Dora, DoraSchema } from './dora.js';
import { ActorSchema, DeploymentStateSchema } from './deployment-record.js';
import { QuarantineSchema } from './environment-state.js';

/**
 * An environment's status (`honua.environment-status/v1`, `honua status --json`): the commit
 * deployed and its snapshot, whether that is what the repository asks for now (sync), whether it
 * works (health), the last deployment, the one running or waiting, quarantined commits, and the
 * DORA figures.
 */
export const EnvironmentStatusSchema = z.object({
  schemaVersion: z.literal('honua.environment-status/v1'),
  environment: z.string(),
  deployedCommit: z.string().optional(),
  activeSnapshot: z.string().optional(),
  desiredCommit: z.string().optional().meta({ description: 'What the repository asks for now (HEAD).' }),
  sync: z.enum(['Synced', 'OutOfSync', 'Syncing', 'Unknown']).meta({
    description:
      'Synced: the active snapshot configures the environment as HEAD does. OutOfSync: it does not (or nothing is deployed). Syncing: a deployment is running.',
  }),
  syncReason: z.string(),
  health: z.enum(['Healthy', 'Degraded', 'Unhealthy', 'Unknown']),
  healthReason: z.string().optional(),
  lastDeployment: z
    .object({
      id: z.string(),
      kind: z.string(),
      state: DeploymentStateSchema,
      commit: z.string(),
      createdAt: z.string(),
      finishedAt: z.string().optional(),
      durationMs: z.number().optional(),
      by: ActorSchema,
    })
    .optional(),
  inProgress: z.array(z.object({ id: z.string(), state: DeploymentStateSchema, since: z.string(), notBefore: z.string().optional(), commit: z.string() })),
  quarantined: z.array(QuarantineSchema),
  lease: z.object({ holder: z.string(), expiresAt: z.string() }).optional(),
  dora: DoraSchema,
  store: z.string(),
});
export type EnvironmentStatus = z.infer<typeof EnvironmentStatusSchema>;
export type { Dora };
