import { z } from 'zod';
import { type DesiredState, type Migration, type EffectivePolicy, buildMigrationGraph, pendingMigrations } from '../config/index.js';
import type { SourceDescription } from '../source/index.js';
import { findBreakingChanges } from './breaking-changes.js';
import { diffDocuments, diffResources } from './diff.js';
import { BreakingChangeSchema, ResourceChangeSchema, RiskSchema, type SourceRef, SourceRefSchema, SummarySchema } from './formats.js';
import { planDigest } from './plan-digest.js';
import { governingPolicy } from './governing-policy.js';
import { assessRisk } from './risk.js';

/**
 * A deployment plan: what applying the desired state to an environment would change (semantic
 * diff, breaking changes, migrations in order, risk), which policy governs it, and a digest of
 * all that. Making a plan is pure (desired × deployed → plan) and takes no decision: the policy
 * decision is a separate step over plan × policy × clock (decide-plan.ts), so an approval binds
 * to a plan's digest and a decision can be taken again when a window opens. Planning never
 * applies. The JSON form (`honua.plan/v1`, the plan with its decision) is documented in
 * docs/plan-format.md; the CLI prints it with `--json`.
 */
export const PlannedMigrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  dependencies: z.array(z.string()),
  steps: z.array(z.object({ name: z.string(), type: z.enum(['sql', 'metadata']), transactional: z.boolean().optional() })),
  rollback: z.array(z.object({ name: z.string(), type: z.enum(['sql', 'metadata']) })),
  reversible: z.boolean(),
  checks: z.number().int().meta({ description: 'Post-up validations that will run.' }),
});
export type PlannedMigration = z.infer<typeof PlannedMigrationSchema>;

export const PlanBodySchema = z.object({
  schemaVersion: z.literal('honua.plan/v1'),
  environment: z.string(),
  generatedAt: z.string(),
  digest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .meta({
      description:
        "sha256 over what would be deployed: the plan's content and the exact configuration on both sides (the text of every file the resources and the policy come from, every migration's checksum); not over when it was made, where the checkout is, or the decision. Two plans with the same digest deploy the same thing; an approval binds to it.",
    }),
  from: SourceRefSchema.meta({ description: 'The baseline: what is deployed (or --against), or empty.' }),
  to: SourceRefSchema,
  summary: SummarySchema.extend({ migrations: z.number().int(), breaking: z.number().int() }),
  changes: z.array(ResourceChangeSchema),
  breakingChanges: z.array(BreakingChangeSchema),
  migrations: z.object({
    pending: z.array(PlannedMigrationSchema),
    applied: z.array(z.string()),
    blocked: z.array(z.string()).meta({ description: 'Migrations that cannot be ordered because they are in, or depend on, a dependency cycle.' }),
  }),
  risk: RiskSchema,
  policySource: z.enum(['baseline', 'base', 'desired']).meta({
    description:
      'Which policy was evaluated: the deployed one (baseline) when there is one; else the one at the base commit (what the repository has now, for a branch its merge base), so a change that relaxes the policy cannot approve itself; the desired one only when there is no base at all (a directory outside git).',
  }),
  policyFrom: SourceRefSchema.optional().meta({ description: 'Where the evaluated policy was read (policySource base).' }),
  rollback: z
    .object({ automatic: z.boolean(), timeoutMs: z.number() })
    .meta({ description: 'Whether a failed deployment rolls back by itself (from the policy).' }),
  warnings: z.array(z.string()),
});
/** A plan before (or without) a policy decision. */
export type PlanBody = z.infer<typeof PlanBodySchema>;

export function sourceRef(d: SourceDescription): SourceRef {
  return d.type === 'directory' ? { type: 'directory', root: d.root } : { type: 'git', root: d.root, ref: d.ref, commit: d.commit };
}

export interface PlanInput {
  desired: DesiredState;
  /** What is deployed now; null when nothing is. */
  baseline: DesiredState | null;
  /** Ids or names of migrations already applied; defaults to the baseline's migrations. */
  applied?: readonly string[];
  /** When the plan is made (the only clock a plan reads; it is not part of the digest). */
  generatedAt: Date;
  /**
   * The policy that judges this change when nothing is deployed: the policy at its base commit.
   * A change is never judged by the policy it brings itself.
   */
  basePolicy?: { policy: EffectivePolicy; from: SourceRef; note?: string };
  /** Migration lint findings (by migration name); those of pending migrations raise the risk. */
  lintFindings?: ReadonlyArray<{ code: string; severity: 'error' | 'warning'; migration: string }>;
}

const plannedMigration = (m: Migration): PlannedMigration => ({
  id: m.id,
  name: m.name,
  description: m.description,
  dependencies: m.dependencies,
  steps: m.up.map((s) => ({ name: s.name, type: s.type, ...(s.type === 'sql' && s.transactional !== undefined ? { transactional: s.transactional } : {}) })),
  rollback: m.down.map((s) => ({ name: s.name, type: s.type })),
  reversible: m.down.length > 0,
  checks: m.postUp.length,
});

/** The effective policy as data to diff: what it decides, not where it came from. */
const policyDocument = (p: DesiredState['policy']): Record<string, unknown> => {
  const { sources: _sources, isDefault: _isDefault, environment: _environment, ...rules } = p;
  return { spec: rules };
};

export function createPlan(input: PlanInput): PlanBody {
  const { desired, baseline } = input;
  const diff = diffResources(baseline?.resources ?? [], desired.resources);
  // A change to the policy is a change like any other; it is listed so reviewers see it.
  if (baseline) {
    const fields = diffDocuments(policyDocument(baseline.policy), policyDocument(desired.policy));
    if (fields.length > 0) {
      diff.changes.push({ kind: 'DeploymentPolicy', name: desired.environment, key: `DeploymentPolicy/${desired.environment}`, action: 'modify', fields });
      diff.summary.modified++;
    }
  }
  const breakingChanges = baseline ? findBreakingChanges(baseline, desired) : [];
  const applied = input.applied ?? baseline?.migrations.map((m) => m.name) ?? [];
  const graph = buildMigrationGraph(desired.migrations);
  const { pending, blocked } = pendingMigrations(graph, applied);
  const warnings: string[] = [];
  if (baseline) {
    const before = new Map(baseline.migrations.map((m) => [m.name, m]));
    for (const m of desired.migrations) {
      const old = before.get(m.name);
      if (old && old.checksum !== m.checksum) {
        warnings.push(`migration ${m.name} was changed after it was applied; applied migrations must not change (add a new migration instead)`);
      }
    }
    for (const m of baseline.migrations) {
      if (!desired.migrations.some((d) => d.name === m.name))
        warnings.push(`migration ${m.name} was applied but is no longer in the repository; it will not be rolled back by removing it`);
    }
  }
  const planned = pending.map(plannedMigration);
  const pendingNames = new Set(planned.map((m) => m.name));
  const lintFindings = (input.lintFindings ?? []).filter((f) => pendingNames.has(f.migration));
  const risk = assessRisk({ environment: desired.environment, changes: diff.changes, breakingChanges, migrations: planned, lintFindings });
  const summary = { ...diff.summary, migrations: planned.length, breaking: breakingChanges.length };
  // The deployed policy governs a deployment, else the base's; the new one takes effect once this is deployed.
  const { policy: governing, source: policySource } = governingPolicy(input);
  const base = policySource === 'base' ? input.basePolicy : undefined;
  if (base) {
    if (base.note) warnings.push(base.note);
    const fields = diffDocuments(policyDocument(base.policy), policyDocument(desired.policy));
    if (fields.length > 0) {
      const what = fields
        .slice(0, 4)
        .map((f) => f.path)
        .join(', ');
      warnings.push(
        `this change rewrites the ${desired.environment} deployment policy (${what}${fields.length > 4 ? ', ...' : ''}); it is judged by the policy at its base (${base.from.commit?.slice(0, 7) ?? base.from.ref ?? 'base'}), and the new policy applies only once this change is deployed`,
      );
    }
  }
  const body: Omit<PlanBody, 'digest'> = {
    schemaVersion: 'honua.plan/v1',
    environment: desired.environment,
    generatedAt: input.generatedAt.toISOString(),
    from: baseline ? sourceRef(baseline.source) : { type: 'empty' },
    to: sourceRef(desired.source),
    summary,
    changes: diff.changes,
    breakingChanges,
    migrations: { pending: planned, applied: [...applied], blocked: blocked.map((m) => m.name) },
    risk,
    policySource,
    ...(base ? { policyFrom: base.from } : {}),
    rollback: { automatic: governing.rollback.automatic, timeoutMs: governing.rollback.timeoutMs },
    warnings,
  };
  const { schemaVersion, environment, generatedAt, ...rest } = body;
  return { schemaVersion, environment, generatedAt, digest: planDigest(body, { desired, baseline }), ...rest };
}
