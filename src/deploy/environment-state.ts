import { z } from 'zod';

/**
 * What the state store keeps per environment besides the deployments: the active snapshot and
 * the commit it came from, the last deployment, and the quarantined commits — those whose
 * deployment was rolled back, which nothing deploys again by itself (and `honua deploy` only with
 * --force) until a newer commit arrives.
 */
export const QuarantineSchema = z.object({
  commit: z.string(),
  deploymentId: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type Quarantine = z.infer<typeof QuarantineSchema>;

export const EnvironmentStateSchema = z.object({
  schemaVersion: z.literal('honua.environment-state/v1'),
  environment: z.string(),
  activeSnapshot: z.string().optional(),
  deployedCommit: z.string().optional(),
  /** The deployment that made the active snapshot active. */
  activeDeployment: z.string().optional(),
  lastDeployment: z.string().optional(),
  lastCompletedAt: z.string().optional(),
  health: z.enum(['Healthy', 'Degraded', 'Unhealthy', 'Unknown']),
  healthReason: z.string().optional(),
  quarantined: z.array(QuarantineSchema),
});
export type EnvironmentState = z.infer<typeof EnvironmentStateSchema>;

export const emptyEnvironmentState = (environment: string): EnvironmentState => ({
  schemaVersion: 'honua.environment-state/v1',
  environment,
  health: 'Unknown',
  quarantined: [],
});
