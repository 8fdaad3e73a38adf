import { z } from 'zod';
import { InspectionSchema } from '../db/inspection-format.js';
import { PlanSchema } from '../plan/plan.js';
import { DiffReportSchema } from '../plan/formats.js';
import { PolicyCheckReportSchema } from '../plan/policy-check-report.js';
import { DataSourceSchema } from './kinds/data-source.js';
import { DeploymentPolicySchema } from './kinds/deployment-policy.js';
import { LayerSchema } from './kinds/layer.js';
import { MigrationSchema } from './kinds/migration.js';
import { ServerConfigSchema } from './kinds/server-config.js';
import { ServiceSchema } from './kinds/service.js';
import { ValidationReportSchema } from './validate.js';

/**
 * JSON Schemas exported from the zod schemas: one per kind, one for any Honua document (for the
 * yaml-language-server modeline), and the output formats of validate, diff and plan.
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
