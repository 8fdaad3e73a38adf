import type { Done } from './step.js';

/** Answers about the configuration in words, from the read tools' output: environments, validation, a plan, a diff. */

export function describeEnvironments(r: Done): string {
  const envs = (
    r.data as {
      environments: Array<{ name: string; valid: boolean; layers: string[]; services: string[]; migrations: string[]; policy: { autoApprove: boolean } }>;
    }
  ).environments;
  return envs
    .map(
      (e) =>
        `${e.name}: ${e.valid ? 'valid' : 'has errors'}, ${e.services.length} services, ${e.layers.length} layers, ${e.migrations.length} migrations; deployments ${e.policy.autoApprove ? 'auto-approve unless a rule says otherwise' : 'always need a human approval'}`,
    )
    .join('\n');
}

export function describeValidation(r: Done): string {
  const v = r.data as {
    valid: boolean;
    errors: number;
    warnings: number;
    environments: Array<{ name: string; valid: boolean; errors: number; warnings: number }>;
    problems: Array<{ severity: string; code: string; message: string; file?: string; line?: number }>;
  };
  const head = v.valid
    ? `The configuration is valid (${v.warnings} warning${v.warnings === 1 ? '' : 's'}).`
    : `The configuration has ${v.errors} error${v.errors === 1 ? '' : 's'} and ${v.warnings} warning${v.warnings === 1 ? '' : 's'}.`;
  const envs = v.environments.map((e) => `  ${e.name}: ${e.valid ? 'valid' : `${e.errors} error(s)`}`);
  const problems = v.problems.slice(0, 10).map((p) => `  ${p.severity} [${p.code}] ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
  return [head, ...envs, ...(problems.length > 0 ? ['', ...problems] : [])].join('\n');
}

export function describePlan(r: Done): string {
  const p = r.data as {
    environment: string;
    summary: { added: number; removed: number; modified: number; migrations: number; breaking: number };
    risk: { level: string; reasons: string[] };
    policy: { outcome: string; reasons?: string[] };
    changes?: Array<{ action: string; kind: string; key: string }>;
    migrations?: { pending?: Array<{ name: string }> };
  };
  const reasons = (p.risk.reasons ?? []).slice(0, 5).map((x) => `  - ${x}`);
  // What changes, by name (the first ten), and the migrations in the order they run.
  const changes = (p.changes ?? []).slice(0, 10).map((c) => `  ${c.action} ${c.kind} ${c.key}`);
  const more = (p.changes?.length ?? 0) > 10 ? [`  … and ${(p.changes?.length ?? 0) - 10} more`] : [];
  const pending = (p.migrations?.pending ?? []).map((m) => m.name);
  return [
    `Plan for ${p.environment}: ${p.summary.added} added, ${p.summary.modified} modified, ${p.summary.removed} removed; ${p.summary.migrations} migration(s) to run; ${p.summary.breaking} breaking change(s).`,
    ...changes,
    ...more,
    ...(pending.length > 0 ? [`Migrations, in order: ${pending.join(', ')}`] : []),
    `Risk: ${p.risk.level}`,
    ...reasons,
    `Policy decision: ${p.policy.outcome}${p.policy.reasons && p.policy.reasons.length > 0 ? ` — ${p.policy.reasons.join('; ')}` : ''}`,
    'Planning changed nothing; deploying and approving are for a person to do.',
  ].join('\n');
}

export function describeDiff(r: Done): string {
  const d = r.data as {
    summary: { added: number; removed: number; modified: number };
    changes: Array<{ action: string; key: string }>;
    breakingChanges: Array<{ code: string; message: string }>;
  };
  return [
    `${d.summary.added} added, ${d.summary.modified} modified, ${d.summary.removed} removed.`,
    ...d.changes.slice(0, 20).map((c) => `  ${c.action === 'add' ? '+' : c.action === 'remove' ? '-' : '~'} ${c.key}`),
    ...(d.breakingChanges.length > 0 ? ['Breaking changes:', ...d.breakingChanges.map((b) => `  ! [${b.code}] ${b.message}`)] : ['No breaking changes.']),
  ].join('\n');
}
