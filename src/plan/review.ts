import { z } from 'zod';
import type { Plan } from './decide-plan.js';
import { RISK_LEVELS } from '../config/index.js';

/**
 * A deployment plan reviewed the way a careful reviewer would (`honua-ai review`,
 * `review_plan`, `honua.review/v1`): risk factors, breaking changes, lint findings each with its
 * fix, the policy decision, whether a backup and a way back exist, and what the health checks
 * will and will not catch. Deterministic — built only from the plan, the lint findings of its
 * pending migrations and the backups — so a model's explanation is built on it, never instead
 * of it.
 */
export const ReviewFindingSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  source: z.enum(['lint', 'breaking-change', 'risk', 'rollback', 'backup', 'policy', 'testing']),
  message: z.string(),
  fix: z.string().meta({ description: 'What to do about it.' }),
  migration: z.string().optional(),
  code: z.string().optional(),
});

export const ReviewSchema = z.object({
  schemaVersion: z.literal('honua.review/v1'),
  target: z.object({
    kind: z.enum(['deployment', 'ref', 'pull-request']),
    ref: z.string().meta({ description: 'The deployment id, branch, commit or pull request reviewed.' }),
    commit: z.string().optional(),
    environment: z.string(),
    url: z.string().optional(),
  }),
  verdict: z.enum(['ready', 'needs-attention', 'blocked']).meta({
    description: 'ready: nothing to fix; needs-attention: warnings to read or fix first; blocked: an error, or the policy denies it.',
  }),
  summary: z.string(),
  changes: z.object({ added: z.number().int(), modified: z.number().int(), removed: z.number().int(), migrations: z.number().int() }),
  risk: z.object({ level: z.enum(RISK_LEVELS), reasons: z.array(z.string()) }),
  breakingChanges: z.array(z.object({ key: z.string(), message: z.string() })),
  findings: z.array(ReviewFindingSchema),
  policy: z.object({
    outcome: z.string(),
    reasons: z.array(z.string()),
    approvalRequired: z.boolean(),
    approvers: z.array(z.string()),
    howToApprove: z.string().optional(),
    blockedUntil: z.string().optional(),
  }),
  backups: z.object({
    required: z.boolean(),
    latest: z.object({ id: z.string(), createdAt: z.string(), ageHours: z.number() }).optional(),
    note: z.string(),
  }),
  rollback: z.object({
    automatic: z.boolean(),
    migrations: z.array(z.object({ id: z.string(), name: z.string(), hasDown: z.boolean() })),
    note: z.string(),
  }),
  healthChecks: z.object({ will: z.array(z.string()), willNot: z.array(z.string()) }),
});
export type Review = z.infer<typeof ReviewSchema>;
export type ReviewFinding = z.infer<typeof ReviewFindingSchema>;

export interface ReviewInput {
  plan: Plan;
  target: Review['target'];
  /** Lint findings of the plan's migrations (others are ignored). */
  lint: ReadonlyArray<{ code: string; severity: 'error' | 'warning'; message: string; hint: string; migration: string }>;
  /** The environment's backups, newest first (undefined: not known here). */
  backups?: ReadonlyArray<{ id: string; createdAt: string }> | undefined;
  /** Health checks configured for the layers that change. */
  healthChecks?: number | undefined;
  now: Date;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function reviewPlan(input: ReviewInput): Review {
  const { plan, now } = input;
  const pendingNames = new Set(plan.migrations.pending.flatMap((m) => [m.name, m.id]));
  const findings: ReviewFinding[] = [];
  for (const f of input.lint.filter((l) => pendingNames.has(l.migration)))
    findings.push({ severity: f.severity, source: 'lint', message: `${f.migration}: ${f.message}`, fix: f.hint, migration: f.migration, code: f.code });
  for (const b of plan.breakingChanges)
    findings.push({
      severity: 'warning',
      source: 'breaking-change',
      message: b.message,
      fix: 'Tell the clients that use it before it ships (or keep the old field/layer alongside for a release); the policy may require an approval for breaking changes.',
      code: b.code,
    });
  const irreversible = plan.migrations.pending.filter((m) => !m.reversible);
  for (const m of irreversible)
    findings.push({
      severity: 'warning',
      source: 'rollback',
      message: `migration ${m.name} has no down steps: a rollback cannot undo it`,
      fix: 'Add down steps to the migration, or accept that a rollback restores from the pre-deployment backup (losing data written since).',
      migration: m.name,
    });
  const touchesData = plan.migrations.pending.length > 0;
  const requireBackup = plan.policy.checks.some((c) => c.id === 'backup' && c.status !== 'pass') || /backup/i.test(plan.policy.reasons.join(' '));
  const latest = input.backups?.[0];
  const ageHours = latest ? Math.round(((now.getTime() - Date.parse(latest.createdAt)) / 3600_000) * 10) / 10 : undefined;
  if (touchesData && input.backups !== undefined && !latest)
    findings.push({
      severity: 'info',
      source: 'backup',
      message: 'there is no backup of this environment yet',
      fix: 'The deployment takes one before it changes the database when the policy requires it; `honua backup create` makes one now.',
    });
  if (touchesData && plan.risk.level !== 'LOW' && /production/i.test(plan.environment) === false)
    findings.push({
      severity: 'info',
      source: 'testing',
      message: 'the migrations run against this environment’s data; timings and locks differ at production scale',
      fix: 'Test with production-scale data in staging (a restored production backup) before promoting.',
    });
  if (touchesData && /production/i.test(plan.environment))
    findings.push({
      severity: 'info',
      source: 'testing',
      message: 'the migrations will lock and scan production-sized tables',
      fix: 'Test with production-scale data in staging first, and deploy inside the window when traffic is low.',
    });
  if (plan.policy.outcome === 'denied')
    findings.push({
      severity: 'error',
      source: 'policy',
      message: `the policy denies it: ${plan.policy.reasons.join('; ')}`,
      fix: 'Change what the policy forbids, or ask the policy owners.',
    });
  const approval = plan.policy.approval;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const verdict: Review['verdict'] =
    errors > 0 || plan.policy.outcome === 'denied'
      ? 'blocked'
      : warnings > 0 || plan.risk.level === 'HIGH' || plan.risk.level === 'CRITICAL'
        ? 'needs-attention'
        : 'ready';
  const changedLayers = plan.changes.filter((c) => c.kind === 'Layer' && c.action !== 'remove').map((c) => c.name);
  const will = [
    `the OGC API probe of ${changedLayers.length > 0 ? `the changed collection(s) ${changedLayers.join(', ')}` : 'the collections'}: landing page, the collection, a page of items within the layer's latency budget`,
    ...(input.healthChecks ? [`${plural(input.healthChecks, 'configured health check')} of the changed layers`] : []),
    ...(plan.migrations.pending.some((m) => m.checks > 0) ? ["the migrations' post-up validations (queries and expected results)"] : []),
    'a failed check rolls back by itself when the policy says so' + (plan.rollback.automatic ? ' (it does here)' : ' (it does not here)'),
  ];
  const willNot = [
    'whether the data is right (values, completeness) — only that it is served',
    'performance under real traffic or at production scale beyond one probe page',
    'clients (QGIS projects, web maps, scripts) that rely on removed or renamed fields or layers',
    ...(touchesData ? ['locks the migrations hold while they run'] : []),
  ];
  const summary =
    `${plan.environment}: ${plan.summary.added} added, ${plan.summary.modified} modified, ${plan.summary.removed} removed, ${plural(plan.summary.migrations, 'migration')}; ` +
    `risk ${plan.risk.level}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}; policy: ${plan.policy.outcome}`;
  return {
    schemaVersion: 'honua.review/v1',
    target: input.target,
    verdict,
    summary,
    changes: { added: plan.summary.added, modified: plan.summary.modified, removed: plan.summary.removed, migrations: plan.summary.migrations },
    risk: { level: plan.risk.level, reasons: plan.risk.reasons },
    breakingChanges: plan.breakingChanges.map((b) => ({ key: b.key, message: b.message })),
    findings,
    policy: {
      outcome: plan.policy.outcome,
      reasons: plan.policy.reasons,
      approvalRequired: approval.required,
      approvers: approval.approvers,
      ...(approval.required
        ? {
            howToApprove: `${approval.approvers.length > 0 ? `An approver (${approval.approvers.join(', ')})` : 'A person'} runs honua deployment approve ${input.target.kind === 'deployment' ? input.target.ref : '<id>'} once the deployment waits for approval; the consultant cannot approve.`,
          }
        : {}),
      ...(plan.policy.blockedUntil ? { blockedUntil: plan.policy.blockedUntilLocal ?? plan.policy.blockedUntil } : {}),
    },
    backups: {
      required: requireBackup || touchesData,
      ...(latest && ageHours !== undefined ? { latest: { id: latest.id, createdAt: latest.createdAt, ageHours } } : {}),
      note: !touchesData
        ? 'No migration: the database is not changed, so no backup is needed to go back.'
        : latest
          ? `The latest backup is ${latest.id} (${ageHours} h old); the deployment takes a fresh one before the migrations when the policy requires it.`
          : input.backups === undefined
            ? 'Backups are not known here; the deployment takes one before the migrations when the policy requires it.'
            : 'No backup exists yet; the deployment takes one before the migrations when the policy requires it.',
    },
    rollback: {
      automatic: plan.rollback.automatic,
      migrations: plan.migrations.pending.map((m) => ({ id: m.id, name: m.name, hasDown: m.reversible })),
      note:
        irreversible.length > 0
          ? `${irreversible.map((m) => m.name).join(', ')} cannot be undone by down steps; going back means restoring a backup.`
          : touchesData
            ? 'Every migration has down steps: a rollback reverts them and reactivates the previous snapshot.'
            : 'A rollback reactivates the previous snapshot; nothing in the database to revert.',
    },
    healthChecks: { will, willNot },
  };
}

/** The review as Markdown: a PR comment, `honua-ai review`'s output. */
export function reviewMarkdown(review: Review): string {
  const out: string[] = [];
  const icon = { ready: '✅', 'needs-attention': '⚠️', blocked: '⛔' }[review.verdict];
  out.push(`### ${icon} Honua review: ${review.verdict}`, '', review.summary, '');
  out.push(`**Risk: ${review.risk.level}**`, ...review.risk.reasons.map((r) => `- ${r}`), '');
  if (review.breakingChanges.length > 0) out.push('**Breaking changes**', ...review.breakingChanges.map((b) => `- \`${b.key}\`: ${b.message}`), '');
  if (review.findings.length > 0) {
    out.push('**Findings**', '', '| | Finding | Fix |', '|---|---|---|');
    for (const f of review.findings) out.push(`| ${f.severity} | ${cell(f.message)} | ${cell(f.fix)} |`);
    out.push('');
  }
  out.push(`**Policy: ${review.policy.outcome}**`, ...review.policy.reasons.map((r) => `- ${r}`));
  if (review.policy.howToApprove) out.push(`- ${review.policy.howToApprove}`);
  if (review.policy.blockedUntil && !review.policy.reasons.some((r) => r.includes(review.policy.blockedUntil as string)))
    out.push(`- next allowed: ${review.policy.blockedUntil}`);
  out.push('', `**Backups**: ${review.backups.note}`, '', `**Rollback** (${review.rollback.automatic ? 'automatic' : 'manual'}): ${review.rollback.note}`);
  for (const m of review.rollback.migrations) out.push(`- ${m.name}: ${m.hasDown ? 'has down steps' : '**no down steps**'}`);
  out.push('', '**The health checks will catch**', ...review.healthChecks.will.map((w) => `- ${w}`));
  out.push('', '**They will not catch**', ...review.healthChecks.willNot.map((w) => `- ${w}`), '');
  return out.join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
