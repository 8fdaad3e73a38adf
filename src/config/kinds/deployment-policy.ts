import { DateTime } from 'luxon';
import { z } from 'zod';
import { ApproverRef, baseMetadata, Condition, DateTimeText, Duration, envelope, HourRanges, TimeZone, Weekday } from './common.js';

/**
 * DeploymentPolicy comes in two written shapes (both from the seeds), normalized by
 * src/policy into one effective policy per environment:
 *
 * - per environment (seed 000): `metadata.environment` + `spec.approval`, `spec.deploymentWindow`,
 *   `spec.rollback`, `spec.constraints`, `spec.validation`; usually policies/<env>-policy.yaml.
 * - all environments (seed 002): `environments: {<env>: {autoApprove, allowBreakingChanges,
 *   approvalRules, safety, ...}}`; usually .gitops/deployment-policy.yaml.
 */
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const ApprovalRuleSchema = z
  .strictObject({
    resourcesAdded: Condition.optional(),
    resourcesRemoved: Condition.optional(),
    resourcesModified: Condition.optional(),
    breakingChanges: z.boolean().optional(),
    migrations: Condition.optional(),
    riskLevel: z.enum(RISK_LEVELS).optional().meta({ description: 'Approval needed at this risk level or above.' }),
    kinds: z
      .array(z.enum(['DataSource', 'Service', 'Layer', 'Migration', 'DeploymentPolicy', 'ServerConfig']))
      .optional()
      .meta({
        description: 'Approval needed when a resource of one of these kinds changes.',
      }),
  })
  .refine((r) => Object.keys(r).length > 0, { message: 'an approval rule needs at least one condition', params: { code: 'missing-field' } })
  .meta({ description: 'Approval is required when every condition of a rule holds; rules are alternatives.' });
export type ApprovalRule = z.infer<typeof ApprovalRuleSchema>;

export const DeploymentWindowSchema = z.strictObject({
  allowedDays: z.array(Weekday).min(1).optional(),
  allowedHours: HourRanges.optional(),
  timezone: TimeZone.optional(),
});

export const BlackoutSchema = z
  .strictObject({
    name: z.string().optional(),
    start: DateTimeText,
    end: DateTimeText,
    reason: z.string().optional(),
    timezone: TimeZone.optional().meta({ description: "Zone for start and end without an offset (default: the policy's time zone)." }),
  })
  .superRefine((b, ctx) => {
    const zone = b.timezone ?? 'UTC';
    const start = DateTime.fromISO(b.start.replace(' ', 'T'), { zone });
    const end = DateTime.fromISO(b.end.replace(' ', 'T'), { zone });
    if (start.isValid && end.isValid && end <= start) {
      ctx.addIssue({ code: 'custom', message: `the blackout ends (${b.end}) before it starts (${b.start})`, params: { code: 'bad-datetime' }, path: ['end'] });
    }
  });

const ConstraintsSchema = z.strictObject({
  maxConcurrentDeployments: z.number().int().min(1).optional(),
  cooldownPeriod: Duration.optional(),
  requireBackup: z.boolean().optional(),
});

export const PRE_DEPLOYMENT_CHECKS = ['syntaxCheck', 'policyCheck', 'breakingChangeDetection', 'dependencyCheck', 'resourceCheck'] as const;
export const POST_DEPLOYMENT_CHECKS = ['healthCheck', 'ogcConformance', 'smokeTests', 'dataIntegrity', 'performanceBenchmark'] as const;

export const PerEnvironmentPolicySchema = z.strictObject({
  ...envelope('DeploymentPolicy'),
  metadata: z.strictObject({ ...baseMetadata, environment: z.string().optional() }),
  spec: z.strictObject({
    autoApprove: z.boolean().optional(),
    allowBreakingChanges: z.boolean().optional(),
    approval: z
      .strictObject({
        required: z.boolean().optional().meta({ description: 'true: every deployment needs approval.' }),
        approvers: z.array(ApproverRef).optional(),
        timeout: Duration.optional(),
        minApprovals: z.number().int().min(1).optional(),
        fourEyes: z.boolean().optional().meta({ description: 'The author of a change cannot approve it (default: true in production).' }),
        rules: z.array(ApprovalRuleSchema).optional(),
      })
      .optional(),
    deploymentWindow: DeploymentWindowSchema.optional(),
    blackoutPeriods: z.array(BlackoutSchema).optional(),
    rollback: z.strictObject({ automatic: z.boolean().optional(), timeout: Duration.optional(), healthCheckInterval: Duration.optional() }).optional(),
    constraints: ConstraintsSchema.optional(),
    validation: z
      .strictObject({
        preDeployment: z.array(z.enum(PRE_DEPLOYMENT_CHECKS)).optional(),
        postDeployment: z.array(z.enum(POST_DEPLOYMENT_CHECKS)).optional(),
      })
      .optional(),
  }),
});
export type PerEnvironmentPolicy = z.infer<typeof PerEnvironmentPolicySchema>;

export const EnvironmentPolicyEntrySchema = z.strictObject({
  autoApprove: z.boolean().optional(),
  requiresValidation: z.boolean().optional(),
  allowBreakingChanges: z.boolean().optional(),
  approvalRules: z.array(ApprovalRuleSchema).optional(),
  approvers: z.array(ApproverRef).optional(),
  minApprovals: z.number().int().min(1).optional(),
  fourEyes: z.boolean().optional(),
  approvalTimeout: Duration.optional(),
  safety: z
    .strictObject({
      requireBackup: z.boolean().optional(),
      healthCheckTimeout: Duration.optional(),
      rollbackOnFailure: z.boolean().optional(),
    })
    .optional(),
  deploymentWindow: DeploymentWindowSchema.optional(),
  blackoutPeriods: z.array(BlackoutSchema).optional(),
  constraints: ConstraintsSchema.optional(),
});
export type EnvironmentPolicyEntry = z.infer<typeof EnvironmentPolicyEntrySchema>;

export const AllEnvironmentsPolicySchema = z.strictObject({
  ...envelope('DeploymentPolicy'),
  metadata: z.strictObject({ ...baseMetadata, name: baseMetadata.name.optional() }).optional(),
  environments: z.record(z.string(), EnvironmentPolicyEntrySchema),
});
export type AllEnvironmentsPolicy = z.infer<typeof AllEnvironmentsPolicySchema>;

/** The shape a written policy document uses: decided by its top-level keys, so errors speak of one shape. */
export const policyShape = (value: Record<string, unknown>): 'all-environments' | 'per-environment' =>
  'environments' in value && !('spec' in value) ? 'all-environments' : 'per-environment';

/** For JSON Schema export: either shape. */
export const DeploymentPolicySchema = z.union([PerEnvironmentPolicySchema, AllEnvironmentsPolicySchema]);
