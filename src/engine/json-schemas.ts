import { z } from 'zod';
import {
  DataSourceSchema,
  DeploymentPolicySchema,
  LayerSchema,
  MigrationSchema,
  ServerConfigSchema,
  ServiceSchema,
  ValidationReportSchema,
} from '../config/index.js';
import { InspectionSchema } from '../db/index.js';
import { DiffReportSchema, PlanSchema, PolicyCheckReportSchema } from '../plan/index.js';
import { DeploymentRecordSchema, EnvironmentStatusSchema, IncidentSchema, SnapshotSchema } from '../deploy/index.js';

/**
 * JSON Schemas exported from the zod schemas: one per kind, one for any Honua document (for the
 * yaml-language-server modeline), and the Engine's output formats (validate, diff, plan,
 * policy-check, inspection, deployment records, environment status, snapshots, incidents). `honua schema` writes them; the Engine's `schemas()` returns them.
 */
export const SCHEMA_BASE_URI = 'https://honua.io/schemas/v1/';

const DOCUMENTS = {
  'data-source': DataSourceSchema,
  service: ServiceSchema,
  layer: LayerSchema,
  migration: MigrationSchema,
  'deployment-policy': DeploymentPolicySchema,
  'server-config': ServerConfigSchema,
} as const;

const OUTPUTS = {
  'validation-report': ValidationReportSchema,
  'diff-report': DiffReportSchema,
  plan: PlanSchema,
  'policy-check-report': PolicyCheckReportSchema,
  inspection: InspectionSchema,
  deployment: DeploymentRecordSchema,
  'environment-status': EnvironmentStatusSchema,
  snapshot: SnapshotSchema,
  incident: IncidentSchema,
} as const;

export type SchemaName = keyof typeof DOCUMENTS | keyof typeof OUTPUTS | 'honua';

export function jsonSchemas(): Record<`${SchemaName}.schema.json`, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const emit = (name: string, schema: z.ZodType, io: 'input' | 'output', title: string): void => {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
    out[`${name}.schema.json`] = { $id: `${SCHEMA_BASE_URI}${name}.schema.json`, title, ...json };
  };
  for (const [name, schema] of Object.entries(DOCUMENTS)) emit(name, schema, 'input', `Honua ${name} document`);
  emit('honua', z.union(Object.values(DOCUMENTS)), 'input', 'Any Honua configuration document (apiVersion honua.io/v1)');
  for (const [name, schema] of Object.entries(OUTPUTS)) emit(name, schema, 'output', `Honua ${name} (JSON output)`);
  return out as ReturnType<typeof jsonSchemas>;
}
