import { z } from 'zod';

/**
 * What the migration runner reports, as pinned formats (`honua migrate status|up|down --json`,
 * the Engine's results): each migration's state, and what applying or reverting one did.
 */
export const MigrationStateSchema = z.enum(['applied', 'pending', 'drift', 'failed']);

export const StatusEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  state: MigrationStateSchema,
  appliedAt: z.string().optional(),
  appliedBy: z.string().optional(),
  error: z.string().optional(),
});

export const MigrationStatusSchema = z.object({
  migrations: z.array(StatusEntrySchema),
  unknown: z.array(z.object({ name: z.string(), appliedAt: z.string() })).meta({ description: 'In the history as applied, but no longer in the repository.' }),
});

export const MetadataStepSchema = z.object({
  type: z.literal('metadata'),
  name: z.string(),
  action: z.enum(['add', 'remove', 'update']),
  resource: z.string().optional(),
  path: z.string().optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});

export const MigrationOutcomeSchema = z.object({
  name: z.string(),
  direction: z.enum(['up', 'down']),
  durationMs: z.number(),
  metadataSteps: z.array(MetadataStepSchema).meta({ description: 'Metadata steps the deployment engine must apply.' }),
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
  revertedAfterFailedValidation: z.boolean().optional(),
});

export type MigrationState = z.infer<typeof MigrationStateSchema>;
export type StatusEntry = z.infer<typeof StatusEntrySchema>;
export type MigrationStatus = z.infer<typeof MigrationStatusSchema>;
export type MigrationOutcome = z.infer<typeof MigrationOutcomeSchema>;
