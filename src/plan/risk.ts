import { isProduction, RISK_LEVELS, type RiskLevel } from '../config/index.js';
import type { BreakingChange, ResourceChange, Risk } from './formats.js';

/**
 * The risk of a plan, derived from what it changes and where, explained in words. The level is
 * the highest any reason reaches; every reason is listed so reviewers see why.
 */
export interface RiskInput {
  environment: string;
  changes: readonly ResourceChange[];
  breakingChanges: readonly BreakingChange[];
  migrations: ReadonlyArray<{ name: string; reversible: boolean }>;
  /** Migration lint findings, when a linter ran (severity error raises more than warning). */
  lintFindings?: ReadonlyArray<{ code: string; severity: 'error' | 'warning'; migration: string }>;
}

const rank = (l: RiskLevel): number => RISK_LEVELS.indexOf(l);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function assessRisk(input: RiskInput): Risk {
  const reasons: Array<{ level: RiskLevel; text: string }> = [];
  const raise = (level: RiskLevel, text: string): void => void reasons.push({ level, text });
  const prod = isProduction(input.environment);
  const added = input.changes.filter((c) => c.action === 'add');
  const removed = input.changes.filter((c) => c.action === 'remove');
  const modified = input.changes.filter((c) => c.action === 'modify');
  const nothing = input.changes.length === 0 && input.migrations.length === 0;

  if (nothing) return { level: 'LOW', reasons: ['nothing to deploy'] };

  if (added.length > 0 && removed.length === 0 && modified.length === 0) raise('LOW', `${plural(added.length, 'resource')} added, nothing removed or changed`);
  else if (added.length > 0) raise('LOW', `${plural(added.length, 'resource')} added`);
  if (modified.length > 10) raise('MEDIUM', `${plural(modified.length, 'resource')} modified`);
  else if (modified.length > 0) raise('LOW', `${plural(modified.length, 'resource')} modified`);
  if (removed.length > 0) raise('HIGH', `${plural(removed.length, 'resource')} removed: ${removed.map((c) => c.key).join(', ')}`);

  for (const c of input.changes) {
    if (c.kind === 'DataSource' && c.action !== 'add')
      raise('MEDIUM', `datasource ${c.name} ${c.action === 'remove' ? 'is removed' : 'changes'}: every layer reading from it is affected`);
    if (c.kind === 'ServerConfig' && c.action === 'modify') raise('MEDIUM', 'the server configuration changes');
    if (c.kind === 'Layer' && c.fields.some((f) => f.path.startsWith('spec.storage.table') || f.path.startsWith('spec.storage.dataSource'))) {
      raise('MEDIUM', `layer ${c.name} now reads from another table or datasource`);
    }
  }

  if (input.breakingChanges.length > 0) {
    const codes = [...new Set(input.breakingChanges.map((b) => b.code))].join(', ');
    raise(prod ? 'CRITICAL' : 'HIGH', `${plural(input.breakingChanges.length, 'breaking change')} (${codes})${prod ? ' in production' : ''}`);
  }

  if (input.migrations.length > 0) raise('LOW', `${plural(input.migrations.length, 'migration')} to apply: ${input.migrations.map((m) => m.name).join(', ')}`);
  for (const m of input.migrations) if (!m.reversible) raise('MEDIUM', `migration ${m.name} has no down steps and cannot be rolled back automatically`);
  for (const f of input.lintFindings ?? []) raise(f.severity === 'error' ? 'HIGH' : 'MEDIUM', `migration ${f.migration}: lint ${f.code}`);

  if (prod) raise('MEDIUM', 'production environment');

  const level = reasons.reduce<RiskLevel>((max, r) => (rank(r.level) > rank(max) ? r.level : max), 'LOW');
  const ordered = [...reasons].sort((a, b) => rank(b.level) - rank(a.level));
  return { level, reasons: ordered.map((r) => r.text) };
}
