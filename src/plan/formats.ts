import { z } from 'zod';
import { RISK_LEVELS, KINDS } from '../config/index.js';

/**
 * The persisted and printed formats of diffs and plans. These zod schemas are the single source
 * of the TypeScript types and of the JSON Schemas `honua schema` publishes; fixtures pin them.
 * Changing a field's meaning needs a new schemaVersion.
 */
export const FieldChangeSchema = z.object({
  path: z.string().meta({ description: 'Dotted path; list items with a name are addressed by it: spec.fields[width_ft].type.' }),
  op: z.enum(['add', 'remove', 'modify', 'reorder']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const ResourceChangeSchema = z.object({
  kind: z.enum(KINDS),
  name: z.string(),
  key: z.string(),
  action: z.enum(['add', 'remove', 'modify']),
  file: z.string().optional(),
  fields: z.array(FieldChangeSchema),
});
export type ResourceChange = z.infer<typeof ResourceChangeSchema>;

export const BREAKING_CODES = [
  'layer-removed',
  'service-removed',
  'collection-disabled',
  'field-removed',
  'field-type-changed',
  'geometry-type-changed',
  'srid-changed',
  'id-field-changed',
  'crs-removed',
  'default-crs-changed',
] as const;
export type BreakingCode = (typeof BREAKING_CODES)[number];

export const BreakingChangeSchema = z.object({
  code: z.enum(BREAKING_CODES),
  kind: z.enum(KINDS),
  key: z.string(),
  path: z.string().optional(),
  message: z.string(),
});
export type BreakingChange = z.infer<typeof BreakingChangeSchema>;

export const SourceRefSchema = z.object({
  type: z.enum(['directory', 'git', 'environment', 'empty']),
  root: z.string().optional(),
  ref: z.string().optional(),
  commit: z.string().optional(),
  environment: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

export const SummarySchema = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  modified: z.number().int(),
  unchanged: z.number().int(),
});

export const DiffReportSchema = z.object({
  schemaVersion: z.literal('honua.diff/v1'),
  mode: z.enum(['commits', 'environments']),
  environment: z.string().optional().meta({ description: 'The environment compared (commit mode).' }),
  from: SourceRefSchema,
  to: SourceRefSchema,
  summary: SummarySchema.extend({ breaking: z.number().int() }),
  changes: z.array(ResourceChangeSchema),
  /** Environment-specific resources (datasources, server config) that differ between environments; not promoted. */
  environmentSpecific: z.array(ResourceChangeSchema),
  breakingChanges: z.array(BreakingChangeSchema),
  migrations: z.object({ added: z.array(z.string()), removed: z.array(z.string()), modified: z.array(z.string()) }),
});
export type DiffReport = z.infer<typeof DiffReportSchema>;

export const RiskSchema = z.object({
  level: z.enum(RISK_LEVELS),
  reasons: z.array(z.string()),
});
export type Risk = z.infer<typeof RiskSchema>;
