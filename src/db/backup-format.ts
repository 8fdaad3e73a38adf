import { z } from 'zod';

/**
 * A backup's manifest (kept beside it, `<id>.json`) and what a restore reports: pinned formats
 * of `honua backup ... --json` and of the Engine's results.
 */
export const BackupManifestSchema = z.object({
  id: z.string(),
  environment: z.string(),
  createdAt: z.string(),
  kind: z.enum(['pg_dump', 'embedded-copy']),
  database: z.string(),
  serverVersion: z.string(),
  tool: z.string().optional(),
  schemas: z.array(z.string()),
  tables: z.record(z.string(), z.number()).meta({ description: 'schema.table → exact row count at backup time.' }),
  file: z.string(),
  size: z.number(),
  sha256: z.string(),
});

export const RestoreResultSchema = z.object({
  manifest: BackupManifestSchema,
  verified: z.boolean(),
  mismatches: z
    .array(z.object({ table: z.string(), expected: z.number().nullable(), actual: z.number().nullable() }))
    .meta({ description: "Tables whose row count differs from the backup's." }),
});

export type BackupManifest = z.infer<typeof BackupManifestSchema>;
export type RestoreResult = z.infer<typeof RestoreResultSchema>;
