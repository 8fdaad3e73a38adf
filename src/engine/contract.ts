import { z } from 'zod';
import { ProblemSchema } from '../config/index.js';

/**
 * The Engine's contract: every request it takes and every result it gives that is not already a
 * pinned format of its own (plans, diffs, validation reports, inspections live with what makes
 * them), as zod schemas. They are the one source for the TypeScript types, the tools' input and
 * output schemas, the `--json` formats, the admin API and its HTTP client.
 */

const Environment = z
  .string()
  .min(1)
  .meta({ description: 'development, staging, production (dev/stage/prod also work), or another folder under environments/.' });
const Ref = z.string().min(1).meta({ description: 'A commit, branch or tag.' });

// ---------------------------------------------------------------------------------------------
// Configuration

export const ValidateRequestSchema = z.object({
  environments: z.array(Environment).optional().meta({ description: 'Only these environments (default: all).' }),
  ref: Ref.optional().meta({ description: 'Validate the repository at this commit (default: the working tree).' }),
});

export const DiffRequestSchema = z.union([
  z.object({ environment: Environment.optional(), from: Ref, to: Ref.optional().meta({ description: 'Default: the working tree.' }) }),
  z.object({
    fromEnvironment: Environment,
    toEnvironment: Environment,
    ref: Ref.optional().meta({ description: 'Compare the environments at this commit (default: the working tree).' }),
  }),
]);

export const PlanRequestSchema = z.object({
  environment: Environment.optional(),
  ref: Ref.optional().meta({ description: 'The desired configuration at this commit (default: the working tree).' }),
  against: Ref.optional().meta({ description: 'What is deployed, as a commit (default: nothing deployed; the policy at the base commit decides).' }),
  at: z.string().datetime({ offset: true }).optional().meta({ description: 'Evaluate the policy at this time (ISO 8601) instead of now.' }),
  lastDeploymentAt: z
    .string()
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'When the last deployment to the environment finished (for the cooldown).' }),
  activeDeployments: z.number().int().min(0).optional().meta({ description: 'Deployments to the environment running now (for the concurrency limit).' }),
});

export const EnvironmentInfoSchema = z.object({
  name: z.string(),
  folder: z.string(),
  valid: z.boolean(),
  dataSources: z.array(z.object({ name: z.string(), type: z.string() })),
  services: z.array(z.string()),
  layers: z.array(z.string()),
  migrations: z.array(z.string()),
  policy: z.object({
    autoApprove: z.boolean().meta({ description: 'false: every deployment needs a human approval.' }),
    approvers: z.array(z.string()),
    window: z.boolean(),
  }),
});

export const FileValidationSchema = z.object({
  valid: z.boolean().meta({ description: 'No errors in the files concerned.' }),
  repositoryValid: z.boolean().meta({ description: 'The whole repository validates.' }),
  problems: z.array(ProblemSchema).meta({ description: 'Problems in the files concerned.' }),
  otherErrors: z.number().int().meta({ description: 'Errors elsewhere in the repository, present before this change.' }),
});

export const ConfigFileSchema = z.object({ path: z.string(), content: z.string() });

// ---------------------------------------------------------------------------------------------
// The database

export const DatabaseRequestSchema = z.object({ environment: Environment.optional() });

export const InspectRequestSchema = DatabaseRequestSchema.extend({
  schema: z.string().optional().meta({ description: 'Only this schema.' }),
  table: z.string().optional().meta({ description: 'One table or view (name or schema.name), found among all with near names when it is not there.' }),
  exact: z.boolean().optional().meta({ description: 'Count rows and compute extents exactly (reads every row).' }),
});

export const MigrateRequestSchema = DatabaseRequestSchema.extend({
  direction: z.enum(['up', 'down']),
  to: z.string().optional().meta({ description: 'up: up to and including this migration; down: down to, not including, it.' }),
  waitMs: z.number().int().min(0).optional().meta({ description: "How long to wait for another runner's lock." }),
  deploymentId: z.string().optional(),
});

export const MigrationPlanRequestSchema = DatabaseRequestSchema.extend({ to: z.string().optional() });

export const BackupRequestSchema = DatabaseRequestSchema.extend({
  dir: z.string().optional().meta({ description: 'Where backups are kept (default: $HONUA_HOME/backups).' }),
});

export const BackupCreateRequestSchema = BackupRequestSchema.extend({ keep: z.number().int().min(1).optional() });

export const BackupRestoreRequestSchema = BackupRequestSchema.extend({ id: z.string().min(1) });

// ---------------------------------------------------------------------------------------------
// The consultant's requests

export const GenerateLayerRequestSchema = z.object({
  table: z.string().min(1),
  schema: z.string().optional(),
  service: z.string().optional(),
  environments: z.array(Environment).optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  geometryColumn: z.string().optional(),
  idField: z.string().optional(),
  srid: z.number().int().optional(),
  itemLimit: z.number().int().optional(),
  createdBy: z.string().optional(),
});

export const ColumnSpecSchema = z.object({
  name: z.string(),
  type: z.string().meta({ description: 'SQL type as PostgreSQL writes it: text, integer, numeric(10,2), geometry(Point, 4326), ...' }),
  nullable: z.boolean().optional(),
  default: z.string().optional().meta({ description: 'A constant SQL default (a literal); volatile defaults are refused.' }),
});

export const GenerateMigrationRequestSchema = z.object({
  kind: z.enum(['spatial-index', 'add-column', 'add-table']),
  table: z.string().min(1),
  schema: z.string().optional(),
  column: z.string().optional(),
  type: z.string().optional(),
  nullable: z.boolean().optional(),
  default: z.string().optional(),
  geometryType: z.string().optional(),
  srid: z.number().int().optional(),
  columns: z.array(ColumnSpecSchema).optional(),
  comment: z.string().optional(),
  service: z.string().optional().meta({ description: 'add-table: also generate the layer for the new table, in this service.' }),
  environments: z.array(Environment).optional(),
  author: z.string().optional(),
});

export const ProposalRequestSchema = z.object({
  branch: z.string().min(1),
  files: z.array(ConfigFileSchema),
  message: z.string().min(1),
  author: z.object({ name: z.string(), email: z.string() }),
  push: z.boolean().optional(),
});

export const WriteFilesRequestSchema = z.object({
  files: z.array(ConfigFileSchema).min(1),
  force: z.boolean().optional().meta({ description: 'Overwrite files that exist.' }),
});

export type ValidateRequest = z.infer<typeof ValidateRequestSchema>;
export type DiffRequest = z.infer<typeof DiffRequestSchema>;
export type PlanRequest = z.infer<typeof PlanRequestSchema>;
export type EnvironmentInfo = z.infer<typeof EnvironmentInfoSchema>;
export type FileValidation = z.infer<typeof FileValidationSchema>;
export type DatabaseRequest = z.infer<typeof DatabaseRequestSchema>;
export type InspectRequest = z.infer<typeof InspectRequestSchema>;
export type MigrateRequest = z.infer<typeof MigrateRequestSchema>;
export type MigrationPlanRequest = z.infer<typeof MigrationPlanRequestSchema>;
export type BackupRequest = z.infer<typeof BackupRequestSchema>;
export type BackupCreateRequest = z.infer<typeof BackupCreateRequestSchema>;
export type BackupRestoreRequest = z.infer<typeof BackupRestoreRequestSchema>;
export type GenerateLayerRequest = z.infer<typeof GenerateLayerRequestSchema>;
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;
export type GenerateMigrationRequest = z.infer<typeof GenerateMigrationRequestSchema>;
export type ProposalRequest = z.infer<typeof ProposalRequestSchema>;
export type WriteFilesRequest = z.infer<typeof WriteFilesRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Deployments

const Token = z.string().min(1).meta({ description: "The person's token (HONUA_TOKEN): who asks, and who approves." });
const WaitMs = z.number().int().min(0).meta({ description: 'How long to wait for another process that holds the environment (default: not at all).' });

export const DeployRequestSchema = z.object({
  environment: Environment,
  kind: z
    .enum(['deploy', 'migration', 'dev-apply'])
    .optional()
    .meta({ description: 'deploy (default): a commit; migration: one migration and what it needs; dev-apply: the working tree (not production).' }),
  ref: Ref.optional().meta({ description: 'The commit, branch or tag to deploy (default HEAD).' }),
  migration: z.string().optional().meta({ description: "kind migration: the migration's id or name." }),
  autoApprove: z.boolean().optional().meta({ description: 'Expect no approval; refused when the policy requires one.' }),
  force: z.boolean().optional().meta({ description: 'Deploy a quarantined commit anyway.' }),
  schedule: z.string().min(1).max(100).optional().meta({
    description:
      'Run at this time, read in the policy\'s time zone: "next-tuesday 10:00", a range "next-tuesday 10:00-12:00" (not started by the end, it expires), "2026-12-08 10:00" or ISO 8601. Refused when outside every window, with the next allowed slot; approvals are still asked for at once.',
  }),
  token: Token.optional(),
  waitMs: WaitMs.optional(),
});

export const DeploymentRequestSchema = z.object({ id: z.string().min(1), token: Token.optional(), waitMs: WaitMs.optional() });

export const ApprovalRequestSchema = DeploymentRequestSchema.extend({ comment: z.string().max(2000).optional() });

export const DeploymentsRequestSchema = z.object({ environment: Environment, limit: z.number().int().min(1).max(1000).optional() });

export const StatusRequestSchema = z.object({ environment: Environment.optional().meta({ description: 'One environment (default: all).' }) });

export const RollbackRequestSchema = z.object({
  environment: Environment,
  toDeployment: z.string().optional(),
  toCommit: z.string().optional(),
  token: Token.optional(),
  waitMs: WaitMs.optional(),
});

export const RestoreRequestSchema = z.object({
  environment: Environment,
  commit: Ref,
  includeDatabase: z.boolean().optional(),
  backupId: z.string().optional(),
  force: z.boolean().optional(),
  token: Token.optional(),
  waitMs: WaitMs.optional(),
});

export const VerifyRequestSchema = z.object({ environment: Environment, layer: z.string().optional() });

export const UserAddRequestSchema = z.object({
  name: z.string().min(1),
  email: z.string().email(),
  teams: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});

export type DeployRequest = z.infer<typeof DeployRequestSchema>;
export type DeploymentRequest = z.infer<typeof DeploymentRequestSchema>;
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;
export type DeploymentsRequest = z.infer<typeof DeploymentsRequestSchema>;
export type StatusRequest = z.infer<typeof StatusRequestSchema>;
export type RollbackRequest = z.infer<typeof RollbackRequestSchema>;
export type RestoreRequest = z.infer<typeof RestoreRequestSchema>;
export type VerifyRequest = z.infer<typeof VerifyRequestSchema>;
export type UserAddRequest = z.infer<typeof UserAddRequestSchema>;
