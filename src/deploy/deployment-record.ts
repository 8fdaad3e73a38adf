import { z } from 'zod';
import { PlanSchema } from '../plan/index.js';
import { PolicyDecisionSchema } from '../policy/index.js';
import { DEPLOYMENT_STATES } from './deployment-state.js';

/**
 * The deployment record (`honua.deployment/v1`, docs/deployments.md): everything about one
 * deployment, persisted after every transition, so the record alone says what happened, and a
 * restarted engine can resume or roll back from it.
 */
export const DeploymentStateSchema = z.enum(DEPLOYMENT_STATES);

export const ActorSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  /** How the actor was known: a token in the users file, or only the operating-system user. */
  authenticated: z.boolean(),
  via: z.string().meta({ description: 'cli, admin-api, controller, consultant, engine' }),
});
export type Actor = z.infer<typeof ActorSchema>;

export const TransitionSchema = z.object({
  from: DeploymentStateSchema.nullable(),
  to: DeploymentStateSchema,
  at: z.string(),
  actor: z.string(),
  reason: z.string(),
});
export type Transition = z.infer<typeof TransitionSchema>;

export const ApprovalSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  by: ActorSchema,
  at: z.string(),
  comment: z.string().optional(),
  /** The plan digest approved: an approval never carries over to a different plan. */
  planDigest: z.string(),
  /** Which of the policy's approvers the person matched (team:gis-ops, role:admin, user:jane). */
  as: z.string(),
  /** No longer counts: what would be applied changed after it was given. */
  stale: z.boolean().optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

export const StepSchema = z.object({
  key: z.string().meta({ description: 'deployment step key: backup, migrate:<name>, snapshot, verify, revert:<name>, restore-backup, reactivate, ...' }),
  at: z.string(),
  durationMs: z.number(),
  detail: z.string(),
});
export type Step = z.infer<typeof StepSchema>;

export const CheckResultSchema = z.object({
  name: z.string(),
  source: z.string().meta({ description: 'Where the check is written: layer id or migration name.' }),
  passed: z.boolean(),
  /** Not run here: an OGC check runs against the server (its verifier), not the database. */
  skipped: z.boolean().optional(),
  detail: z.string(),
  durationMs: z.number(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const VerificationSchema = z.object({
  passed: z.boolean(),
  at: z.string(),
  checks: z.array(CheckResultSchema),
});
export type Verification = z.infer<typeof VerificationSchema>;

export const DeploymentErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  fault: z.enum(['user', 'system', 'model']),
  hint: z.string().optional(),
  phase: DeploymentStateSchema,
});

export const DeploymentKindSchema = z.enum(['deploy', 'migration', 'dev-apply', 'rollback', 'restore']);
export type DeploymentKind = z.infer<typeof DeploymentKindSchema>;

export const DeploymentRecordSchema = z.object({
  schemaVersion: z.literal('honua.deployment/v1'),
  id: z.string().meta({ description: 'prod-20241004123456-abc1234: environment alias, UTC time, short commit.' }),
  kind: DeploymentKindSchema,
  environment: z.string(),
  state: DeploymentStateSchema,
  ref: z.string().meta({ description: 'What was asked for: a branch, tag or commit, or "working tree".' }),
  commit: z.string().meta({ description: 'The commit deployed (for a working tree: HEAD, with dirty true).' }),
  dirty: z.boolean().optional(),
  commitTime: z.string().optional(),
  previousCommit: z.string().optional(),
  author: z.object({ name: z.string(), email: z.string() }).optional().meta({ description: "The commit's author." }),
  requester: ActorSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  notBefore: z.string().optional().meta({ description: "Pending until then: the policy's window or blackout, or the time it was scheduled for." }),
  scheduledFor: z.string().optional().meta({
    description: 'Asked to run at this time (honua-ai promote --schedule): it waits in Pending until then, approved beforehand where the policy asks.',
  }),
  notAfter: z.string().optional().meta({ description: 'A scheduled deployment not started by then expires (the end of the window asked for).' }),
  force: z.boolean().optional(),
  autoApprove: z.boolean().optional().meta({ description: 'Asked to deploy without an approval: refused when the policy requires one.' }),
  migration: z.string().optional().meta({ description: 'kind migration: the migration deployed (with those it depends on).' }),
  rollbackOf: z.string().optional().meta({ description: 'kind rollback: the deployment whose snapshot is restored.' }),
  restore: z.object({ includeDatabase: z.boolean(), backupId: z.string().optional() }).optional(),
  plan: PlanSchema.optional(),
  planDigest: z.string().optional(),
  decision: PolicyDecisionSchema.optional(),
  requireBackup: z.boolean().optional().meta({ description: 'The governing policy asks for a backup before the database changes.' }),
  rollbackAutomatic: z.boolean().optional().meta({ description: 'The governing policy rolls a failed deployment back by itself.' }),
  approvals: z.array(ApprovalSchema),
  awaitingSince: z.string().optional(),
  approvalDeadline: z.string().optional(),
  backup: z.object({ id: z.string(), kind: z.string(), dir: z.string() }).optional(),
  migrationsApplied: z.array(z.string()),
  migrationsReverted: z.array(z.string()),
  snapshot: z.string().optional().meta({ description: 'The snapshot this deployment activates.' }),
  previousSnapshot: z.string().optional().meta({ description: 'The snapshot that was active before; reactivated by a rollback.' }),
  migrationChecks: z.array(CheckResultSchema).optional().meta({ description: 'The post-up validations of the migrations applied.' }),
  verification: VerificationSchema.optional(),
  rollbackVerification: VerificationSchema.optional().meta({ description: 'The checks of the snapshot a rollback reactivated.' }),
  steps: z.array(StepSchema),
  transitions: z.array(TransitionSchema),
  error: DeploymentErrorSchema.optional(),
  incidentReport: z.object({ markdown: z.string(), json: z.string() }).optional(),
  timings: z.record(z.string(), z.number()).meta({ description: 'Milliseconds spent in each state.' }),
  durationMs: z.number().optional(),
});
export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;
