import type { Migration } from '../../config/index.js';
import { lineColumn, loadParser, parseStatements, type Statement, SqlSyntaxError } from '../sql/parse.js';
import { LINT_RULES, type LintFinding, type LintRuleCode } from './lint-rules.js';
import { geometryTypeOf, relname, alterCommands } from './sql-tree.js';
import { type KnownGeometry, STATEMENT_CHECKS } from './statement-checks.js';

/**
 * A PostGIS-aware migration linter. It reads statements through PostgreSQL's own parser and
 * flags what makes a migration risky on a live database: what locks tables, rewrites them,
 * loses data, or cannot be undone. Every statement of the up steps goes through the statement
 * checks (one per rule); then the rules about the migration as a whole run: geometry columns
 * left without a spatial index, destructive changes without down steps, no lock_timeout.
 * Tables created in the same migration are exempt from the rules about existing tables.
 */

/** Findings that lose data or cannot be undone by reverting the statement: a migration with one needs down steps. */
const DESTRUCTIVE: ReadonlySet<LintRuleCode> = new Set([
  'ban-drop-table',
  'ban-drop-schema',
  'ban-truncate',
  'ban-drop-column',
  'srid-change',
  'geometry-type-narrowing',
  'changing-column-type',
  'delete-without-where',
]);

/** GiST, SP-GiST and BRIN indexes serve bounding-box queries. */
const SPATIAL_METHODS = new Set(['gist', 'spgist', 'brin']);

export async function lintMigration(m: Migration, known: readonly KnownGeometry[] = []): Promise<LintFinding[]> {
  await loadParser();
  const findings: LintFinding[] = [];
  const created = new Set<string>();
  const geometryColumns: Array<{ table: string; column: string; step: string; at: { line: number; column: number }; file?: string | undefined }> = [];
  const indexed = new Set<string>();
  let setsLockTimeout = m.lockTimeoutMs !== undefined;

  for (const step of m.up) {
    if (step.type !== 'sql') continue;
    let statements: Statement[];
    try {
      statements = parseStatements(step.sql);
    } catch (error) {
      const pos = error instanceof SqlSyntaxError ? lineColumn(step.sql, Math.max(0, error.offset - 1)) : { line: 1, column: 1 };
      findings.push(finding('sql-syntax-error', (error as Error).message, m, step.name, pos, step.file));
      continue;
    }
    const inTransaction = step.transactional === true || statements.some((s) => s.type === 'TransactionStmt');
    for (const s of statements) {
      const at = lineColumn(step.sql, s.offset);
      const report = (code: LintRuleCode, message: string): void => void findings.push(finding(code, message, m, step.name, at, step.file));
      for (const check of STATEMENT_CHECKS) check(s, { created, inTransaction, known }, report);
      // What the statement leaves behind, for the statements after it and the migration's rules.
      const table = relname(s.node.relation);
      if (s.type === 'CreateStmt' && table) {
        created.add(table);
        for (const elt of (s.node.tableElts as unknown[]) ?? []) {
          const col = (elt as { ColumnDef?: { colname?: string; typeName?: unknown } }).ColumnDef;
          if (col?.colname && geometryTypeOf(col.typeName)) geometryColumns.push({ table, column: col.colname, step: step.name, at, file: step.file });
        }
      }
      for (const { table: altered, cmd, def } of alterCommands(s)) {
        const col = (def as { ColumnDef?: { colname?: string; typeName?: unknown } } | undefined)?.ColumnDef;
        if (cmd.subtype === 'AT_AddColumn' && col?.colname && geometryTypeOf(col.typeName))
          geometryColumns.push({ table: altered, column: col.colname, step: step.name, at, file: step.file });
      }
      if (s.type === 'IndexStmt' && table && SPATIAL_METHODS.has(((s.node.accessMethod as string) ?? 'btree').toLowerCase())) {
        for (const p of (s.node.indexParams as unknown[]) ?? []) {
          const name = (p as { IndexElem?: { name?: string } }).IndexElem?.name;
          if (name) indexed.add(`${table}.${name}`);
        }
      }
      if (s.type === 'VariableSetStmt' && (s.node.name as string | undefined)?.toLowerCase() === 'lock_timeout') setsLockTimeout = true;
    }
  }

  for (const g of geometryColumns) {
    if (!indexed.has(`${g.table}.${g.column}`))
      findings.push(finding('geometry-without-spatial-index', `${g.table}.${g.column} gets no spatial index in this migration`, m, g.step, g.at, g.file));
  }
  if (m.down.length === 0 && findings.some((f) => DESTRUCTIVE.has(f.code)))
    findings.push(finding('destructive-without-down', `migration ${m.name} is destructive and has no down steps`, m, 'up'));
  if (!setsLockTimeout && m.up.some((s) => s.type === 'sql'))
    findings.push(finding('require-timeout-settings', `migration ${m.name} sets no lock_timeout`, m, 'up'));
  return findings;
}

function finding(code: LintRuleCode, message: string, m: Migration, step: string, at?: { line: number; column: number }, file?: string): LintFinding {
  const rule = LINT_RULES[code];
  const f: LintFinding = { code, severity: rule.severity, message, hint: rule.hint, migration: m.name, step };
  if (at) {
    f.line = at.line;
    f.column = at.column;
  }
  if (file !== undefined) f.file = file;
  return f;
}
