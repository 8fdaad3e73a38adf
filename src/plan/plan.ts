import { z } from 'zod';
import type { DesiredState } from '../config/desired-state.js';
import type { Migration } from '../config/kinds/migration.js';
import { PolicyDecisionSchema } from '../policy/decision.js';
import { type EvaluationContext, evaluatePolicy, type PlanFacts } from '../policy/evaluate.js';
import type { SourceDescription } from '../source/index.js';
import { findBreakingChanges } from './breaking-changes.js';
import { diffDocuments, diffResources } from './diff.js';
import { BreakingChangeSchema, ResourceChangeSchema, RiskSchema, type SourceRef, SourceRefSchema, SummarySchema } from './formats.js';
import { buildMigrationGraph, pendingMigrations } from '../config/migration-graph.js';
import { assessRisk } from './risk.js';

/**
 * A deployment plan: what applying the desired state to an environment would change (semantic
 * diff, breaking changes, migrations in order, risk) and what the policy says about it now.
 * Planning never applies. The JSON form is versioned (`honua.plan/v1`) and documented in
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

export const PlanSchema = z.object({
  schemaVersion: z.literal('honua.plan/v1'),
  environment: z.string(),
  generatedAt: z.string(),
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
  rollback: z.object({ automatic: z.boolean(), timeoutMs: z.number() }).meta({ description: 'Whether a failed deployment rolls back by itself (from the policy).' }),
  policy: PolicyDecisionSchema,
  warnings: z.array(z.string()),
});
export type Plan = z.infer<typeof PlanSchema>;

export function sourceRef(d: SourceDescription): SourceRef {
  return d.type === 'directory' ? { type: 'directory', root: d.root } : { type: 'git', root: d.root, ref: d.ref, commit: d.commit };
}

export interface PlanInput {
  desired: DesiredState;
  /** What is deployed now; null when nothing is. */
  baseline: DesiredState | null;
  /** Ids or names of migrations already applied; defaults to the baseline's migrations. */
  applied?: readonly string[];
  context: EvaluationContext;
  /**
   * The policy that judges this change when nothing is deployed: the policy at its base commit.
   * A change is never judged by the policy it brings itself.
   */
  basePolicy?: { policy: DesiredState['policy']; from: SourceRef; note?: string };
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

/** The facts of a plan that policy rules look at. */
export function planFacts(plan: Pick<Plan, 'summary' | 'changes' | 'risk'>): PlanFacts {
  return {
    resourcesAdded: plan.summary.added,
    resourcesRemoved: plan.summary.removed,
    resourcesModified: plan.summary.modified,
    breakingChanges: plan.summary.breaking,
    migrations: plan.summary.migrations,
    riskLevel: plan.risk.level,
    kindsChanged: [...new Set([...plan.changes.map((c) => c.kind), ...(plan.summary.migrations > 0 ? ['Migration'] : [])])],
  };
}

/** The effective policy as data to diff: what it decides, not where it came from. */
const policyDocument = (p: DesiredState['policy']): Record<string, unknown> => {
  const { sources: _sources, isDefault: _isDefault, environment: _environment, ...rules } = p;
  return { spec: rules };
};

export function createPlan(input: PlanInput): Plan {
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
      if (!desired.migrations.some((d) => d.name === m.name)) warnings.push(`migration ${m.name} was applied but is no longer in the repository; it will not be rolled back by removing it`);
    }
  }
  const planned = pending.map(plannedMigration);
  const pendingNames = new Set(planned.map((m) => m.name));
  const lintFindings = (input.lintFindings ?? []).filter((f) => pendingNames.has(f.migration));
  const risk = assessRisk({ environment: desired.environment, changes: diff.changes, breakingChanges, migrations: planned, lintFindings });
  const summary = { ...diff.summary, migrations: planned.length, breaking: breakingChanges.length };
  const facts = planFacts({ summary, changes: diff.changes, risk });
  // The deployed policy governs a deployment, else the base's; the new one takes effect once this is deployed.
  const base = baseline ? undefined : input.basePolicy;
  const governing = baseline?.policy ?? base?.policy ?? desired.policy;
  if (base) {
    if (base.note) warnings.push(base.note);
    const fields = diffDocuments(policyDocument(base.policy), policyDocument(desired.policy));
    if (fields.length > 0) {
      const what = fields.slice(0, 4).map((f) => f.path).join(', ');
      warnings.push(`this change rewrites the ${desired.environment} deployment policy (${what}${fields.length > 4 ? ', ...' : ''}); it is judged by the policy at its base (${base.from.commit?.slice(0, 7) ?? base.from.ref ?? 'base'}), and the new policy applies only once this change is deployed`);
    }
  }
  return {
    schemaVersion: 'honua.plan/v1',
    environment: desired.environment,
    generatedAt: input.context.now.toISOString(),
    from: baseline ? sourceRef(baseline.source) : { type: 'empty' },
    to: sourceRef(desired.source),
    summary,
    changes: diff.changes,
    breakingChanges,
    migrations: { pending: planned, applied: [...applied], blocked: blocked.map((m) => m.name) },
    risk,
    policySource: baseline ? 'baseline' : base ? 'base' : 'desired',
    ...(base ? { policyFrom: base.from } : {}),
    rollback: { automatic: governing.rollback.automatic, timeoutMs: governing.rollback.timeoutMs },
    policy: evaluatePolicy(facts, governing, input.context),
    warnings,
  };
}
