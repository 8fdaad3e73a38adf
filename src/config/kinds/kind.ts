import type { z } from 'zod';
import { DataSourceSchema } from './data-source.js';
import { AllEnvironmentsPolicySchema, PerEnvironmentPolicySchema, policyShape } from './deployment-policy.js';
import { LayerSchema } from './layer.js';
import { MigrationSchema } from './migration.js';
import { ServerConfigSchema } from './server-config.js';
import { ServiceSchema } from './service.js';

export const KINDS = ['DataSource', 'Service', 'Layer', 'Migration', 'DeploymentPolicy', 'ServerConfig'] as const;
export type Kind = (typeof KINDS)[number];

export const isKind = (k: unknown): k is Kind => typeof k === 'string' && (KINDS as readonly string[]).includes(k);

/** The schema a document of `kind` is checked against (policies: the shape the document uses). */
export function schemaFor(kind: Kind, value: Record<string, unknown>): z.ZodType {
  switch (kind) {
    case 'DataSource':
      return DataSourceSchema;
    case 'Service':
      return ServiceSchema;
    case 'Layer':
      return LayerSchema;
    case 'Migration':
      return MigrationSchema;
    case 'ServerConfig':
      return ServerConfigSchema;
    case 'DeploymentPolicy':
      return policyShape(value) === 'all-environments' ? AllEnvironmentsPolicySchema : PerEnvironmentPolicySchema;
  }
}
