import { z } from 'zod';
import type { Migration } from '../../config/index.js';
import { lineColumn, loadParser, parseStatements, type Statement, SqlSyntaxError } from '../sql/parse.js';
import { isVolatileFunction } from '../sql/volatile-functions.js';

/**
 * A PostGIS-aware migration linter. It reads statements through PostgreSQL's own parser and
 * flags what makes a migration risky on a live database: what locks tables, rewrites them,
 * loses data, or cannot be undone. Rule names follow Squawk's where one exists; the PostGIS
 * rules (SRID changes, geometry narrowing, geometry columns without a spatial index) are ours.
 * Tables created in the same migration are exempt from the rules about existing tables.
 */
export type LintSeverity = 'error' | 'warning';


export const LINT_RULES = {
  'sql-syntax-error': { severity: 'error', summary: 'The SQL does not parse.', hint: 'Fix the statement; PostgreSQL would reject it too.' },
  'ban-drop-table': { severity: 'error', summary: 'Drops a table and its data.', hint: 'Make sure nothing reads it (layers, views) and that a backup exists; keep the down step able to recreate it.' },
  'ban-drop-column': { severity: 'error', summary: 'Drops a column and its data; layers and clients reading it break.', hint: 'Remove the field from every layer first, deploy, then drop the column in a later migration.' },
  'ban-drop-schema': { severity: 'error', summary: 'Drops a whole schema.', hint: 'Drop the objects you mean explicitly.' },
  'ban-cascade': { severity: 'error', summary: 'DROP ... CASCADE removes dependent objects you did not name (views, constraints).', hint: 'Drop dependents explicitly, then drop without CASCADE.' },
  'ban-truncate': { severity: 'error', summary: 'TRUNCATE empties a table under an ACCESS EXCLUSIVE lock.', hint: 'Delete what you mean with a WHERE clause, in batches on large tables.' },
  'renaming-table': { severity: 'warning', summary: 'Renaming a table breaks layers, views and clients that use the old name.', hint: 'Create a view with the old name, or update every layer in the same deployment.' },
  'renaming-column': { severity: 'warning', summary: 'Renaming a column breaks layers and clients that use the old name.', hint: 'Add the new column, copy, move readers, then drop the old one later.' },
  'adding-not-nullable-field': { severity: 'error', summary: 'Adds a NOT NULL column without a default: fails on a non-empty table.', hint: 'Add it nullable (or with a constant default), backfill, then SET NOT NULL.' },
  'setting-not-nullable': { severity: 'warning', summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.', hint: 'Add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then SET NOT NULL.' },
  'adding-field-with-volatile-default': { severity: 'warning', summary: 'A volatile default (random(), clock_timestamp(), gen_random_uuid()) rewrites the whole table.', hint: 'Add the column without a default, then set the default and backfill in batches.' },
  'changing-column-type': { severity: 'warning', summary: 'Changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock.', hint: 'Add a new column, backfill, switch readers, then drop the old column.' },
  'srid-change': { severity: 'error', summary: 'Changes a geometry column\'s SRID: rewrites the table, invalidates its spatial index, and moves every coordinate clients see.', hint: 'Add a new column in the new SRID, fill it with ST_Transform, index it, switch layers, then drop the old column; or serve the other CRS with OGC API Features Part 2 instead.' },
  'geometry-type-narrowing': { severity: 'error', summary: 'Narrows a geometry column (Multi* to single): fails on rows with several parts, or silently drops parts.', hint: 'Keep the Multi type, or check SELECT count(*) WHERE ST_NumGeometries(geom) > 1 first and decide what to do with those rows.' },
  'geometry-without-spatial-index': { severity: 'warning', summary: 'A geometry or geography column without a GiST index: every bounding-box query reads the whole table.', hint: 'CREATE INDEX CONCURRENTLY ... USING GIST (column) in the same migration.' },
  'require-concurrent-index-creation': { severity: 'warning', summary: 'CREATE INDEX without CONCURRENTLY blocks writes to an existing table for the whole build.', hint: 'Use CREATE INDEX CONCURRENTLY (Honua runs it outside a transaction and checks the index is valid).' },
  'require-concurrent-index-deletion': { severity: 'warning', summary: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.', hint: 'Use DROP INDEX CONCURRENTLY.' },
  'ban-concurrent-index-creation-in-transaction': { severity: 'error', summary: 'CONCURRENTLY cannot run inside a transaction block.', hint: 'Remove BEGIN/COMMIT and transactional: true from the step; Honua runs CONCURRENTLY statements on their own.' },
  'constraint-missing-not-valid': { severity: 'warning', summary: 'Adding a CHECK or FOREIGN KEY constraint validates every row under a lock.', hint: 'ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later step (it takes a weaker lock).' },
  'update-without-where': { severity: 'error', summary: 'UPDATE without WHERE changes every row.', hint: 'Add a WHERE clause; on large tables update in batches.' },
  'delete-without-where': { severity: 'error', summary: 'DELETE without WHERE removes every row.', hint: 'Add a WHERE clause.' },
  'require-timeout-settings': { severity: 'warning', summary: 'The migration sets no lock_timeout: it relies on the runner\'s default (5s).', hint: 'Set spec.lockTimeout (and statementTimeout) on the migration, or SET lock_timeout in its SQL.' },
  'timeout-disabled': { severity: 'error', summary: 'Sets lock_timeout or statement_timeout to 0 (no limit): a blocked statement then blocks every query behind it.', hint: 'Use a bounded value, e.g. SET lock_timeout = \'5s\'.' },
  'destructive-without-down': { severity: 'error', summary: 'A destructive migration with no down steps cannot be rolled back.', hint: 'Add down steps (or a backup-based plan) before running it.' },
} as const satisfies Record<string, { severity: LintSeverity; summary: string; hint: string }>;

export type LintRuleCode = keyof typeof LINT_RULES;

export const LintFindingSchema = z.object({
  code: z.enum(Object.keys(LINT_RULES) as [LintRuleCode, ...LintRuleCode[]]),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  hint: z.string(),
  migration: z.string(),
  step: z.string(),
  line: z.number().int().optional().meta({ description: 'Position inside the step\'s SQL (1-based).' }),
  column: z.number().int().optional(),
  file: z.string().optional(),
});
export type LintFinding = z.infer<typeof LintFindingSchema>;

/** What the linter may know about the current database (from `honua db inspect`), for precise PostGIS rules. */
export interface KnownGeometry {
  table: string;
  column: string;
  type: string;
  srid: number;
}

type Node = Record<string, unknown>;
const str = (n: unknown): string | undefined => ((n as { String?: { sval?: string } })?.String?.sval);
const names = (list: unknown): string[] => (Array.isArray(list) ? list.map(str).filter((s): s is string => s !== undefined) : []);
const relname = (rangeVar: unknown): string | undefined => (rangeVar as { relname?: string } | undefined)?.relname;

/** Every FuncCall name in a subtree (lower-case). */
function functionsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) functionsIn(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'FuncCall') out.push(names((v as Node).funcname).join('.').toLowerCase());
      functionsIn(v, out);
    }
  }
  return out;
}

function geometryTypeOf(typeName: unknown): { kind: 'geometry' | 'geography'; type?: string; srid?: number } | undefined {
  const t = typeName as { names?: unknown; typmods?: unknown[] } | undefined;
  const n = names(t?.names).at(-1)?.toLowerCase();
  if (n !== 'geometry' && n !== 'geography') return undefined;
  const mods = t?.typmods ?? [];
  const type = mods[0] ? ((mods[0] as { ColumnRef?: { fields?: unknown } }).ColumnRef ? names((mods[0] as { ColumnRef: { fields: unknown } }).ColumnRef.fields)[0] : undefined) : undefined;
  const sridConst = mods[1] as { A_Const?: { ival?: { ival?: number } } } | undefined;
  const srid = sridConst?.A_Const ? (sridConst.A_Const.ival?.ival ?? 0) : undefined;
  return { kind: n, ...(type ? { type } : {}), ...(srid !== undefined ? { srid } : {}) };
}

// Volatile functions only: since PostgreSQL 11 a STABLE default such as now() is evaluated once and does not rewrite the table.
const isZero = (arg: unknown): boolean => {
  const c = (arg as { A_Const?: { ival?: { ival?: number }; sval?: { sval?: string } } }).A_Const;
  if (!c) return false;
  if (c.ival !== undefined) return (c.ival.ival ?? 0) === 0;
  return c.sval?.sval !== undefined && /^0(ms|s|min)?$/i.test(c.sval.sval.trim());
};

export async function lintMigration(m: Migration, known: readonly KnownGeometry[] = []): Promise<LintFinding[]> {
  await loadParser();
  const findings: LintFinding[] = [];
  const created = new Set<string>();
  const geometryColumns: Array<{ table: string; column: string; step: string; statement: Statement; sql: string; file?: string | undefined }> = [];
  const indexed = new Set<string>();
  let destructive = false;
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
    const inExplicitTransaction = statements.some((s) => s.type === 'TransactionStmt');
    for (const s of statements) {
      const at = lineColumn(step.sql, s.offset);
      const add = (code: LintRuleCode, message: string) => findings.push(finding(code, message, m, step.name, at, step.file));
      const n = s.node;
      switch (s.type) {
        case 'CreateStmt': {
          const table = relname(n.relation);
          if (table) created.add(table);
          for (const elt of (n.tableElts as unknown[]) ?? []) {
            const col = (elt as { ColumnDef?: { colname?: string; typeName?: unknown } }).ColumnDef;
            if (col?.colname && table && geometryTypeOf(col.typeName)) geometryColumns.push({ table, column: col.colname, step: step.name, statement: s, sql: step.sql, file: step.file });
          }
          break;
        }
        case 'DropStmt': {
          const type = n.removeType as string;
          if (n.behavior === 'DROP_CASCADE') add('ban-cascade', 'DROP ... CASCADE');
          if (type === 'OBJECT_TABLE') {
            destructive = true;
            add('ban-drop-table', `drops table ${((n.objects as unknown[]) ?? []).map((o) => names((o as { List?: { items?: unknown } }).List?.items).join('.')).join(', ')}`);
          } else if (type === 'OBJECT_SCHEMA') {
            destructive = true;
            add('ban-drop-schema', 'drops a schema');
          } else if (type === 'OBJECT_INDEX' && !n.concurrent) add('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY');
          if (n.concurrent && (inExplicitTransaction || step.transactional === true)) add('ban-concurrent-index-creation-in-transaction', 'DROP INDEX CONCURRENTLY inside a transaction');
          break;
        }
        case 'TruncateStmt':
          destructive = true;
          add('ban-truncate', 'TRUNCATE');
          if (n.behavior === 'DROP_CASCADE') add('ban-cascade', 'TRUNCATE ... CASCADE');
          break;
        case 'RenameStmt':
          if (n.renameType === 'OBJECT_TABLE') add('renaming-table', `renames table ${relname(n.relation)} to ${n.newname as string}`);
          else if (n.renameType === 'OBJECT_COLUMN') add('renaming-column', `renames column ${relname(n.relation)}.${n.subname as string} to ${n.newname as string}`);
          break;
        case 'IndexStmt': {
          const table = relname(n.relation);
          const cols = ((n.indexParams as unknown[]) ?? []).map((p) => (p as { IndexElem?: { name?: string } }).IndexElem?.name).filter(Boolean);
          const method = ((n.accessMethod as string) ?? 'btree').toLowerCase();
          if (table && (method === 'gist' || method === 'spgist' || method === 'brin')) for (const c of cols) indexed.add(`${table}.${c}`);
          if (n.concurrent && (inExplicitTransaction || step.transactional === true)) add('ban-concurrent-index-creation-in-transaction', 'CREATE INDEX CONCURRENTLY inside a transaction');
          if (!n.concurrent && table && !created.has(table)) add('require-concurrent-index-creation', `CREATE INDEX ${(n.idxname as string) ?? ''} on existing table ${table} without CONCURRENTLY`.replace('  ', ' '));
          break;
        }
        case 'AlterTableStmt': {
          const table = relname(n.relation) ?? '';
          const fresh = created.has(table);
          for (const c of (n.cmds as unknown[]) ?? []) {
            const cmd = (c as { AlterTableCmd?: Node }).AlterTableCmd;
            if (!cmd) continue;
            const def = cmd.def as Node | undefined;
            switch (cmd.subtype) {
              case 'AT_DropColumn':
                destructive = true;
                add('ban-drop-column', `drops column ${table}.${cmd.name as string}`);
                if (cmd.behavior === 'DROP_CASCADE') add('ban-cascade', 'DROP COLUMN ... CASCADE');
                break;
              case 'AT_AddColumn': {
                const col = (def as { ColumnDef?: { colname?: string; typeName?: unknown; constraints?: unknown[] } })?.ColumnDef;
                const cons = (col?.constraints ?? []).map((x) => (x as { Constraint?: Node }).Constraint).filter(Boolean) as Node[];
                const notNull = cons.some((x) => x.contype === 'CONSTR_NOTNULL');
                const dflt = cons.find((x) => x.contype === 'CONSTR_DEFAULT');
                if (notNull && !dflt && !fresh) add('adding-not-nullable-field', `adds NOT NULL column ${table}.${col?.colname} without a default`);
                if (dflt && !fresh && functionsIn(dflt.raw_expr).some(isVolatileFunction)) add('adding-field-with-volatile-default', `column ${table}.${col?.colname} has a volatile default`);
                if (col?.colname && geometryTypeOf(col.typeName)) geometryColumns.push({ table, column: col.colname, step: step.name, statement: s, sql: step.sql, file: step.file });
                break;
              }
              case 'AT_SetNotNull':
                if (!fresh) add('setting-not-nullable', `SET NOT NULL on ${table}.${cmd.name as string}`);
                break;
              case 'AT_AlterColumnType': {
                const col = (def as { ColumnDef?: { typeName?: unknown; raw_default?: unknown } })?.ColumnDef;
                const geo = geometryTypeOf(col?.typeName);
                const using = functionsIn(col?.raw_default);
                const before = known.find((k) => k.table === table && k.column === cmd.name);
                const sridChanges = geo && ((before && geo.srid !== undefined && geo.srid !== before.srid) || using.includes('st_transform') || using.includes('st_setsrid'));
                const narrows =
                  geo?.type !== undefined &&
                  !/^multi|^geometry$|collection/i.test(geo.type) &&
                  ((before && /^multi/i.test(before.type)) || using.some((f) => f === 'st_geometryn' || f === 'st_dump'));
                if (sridChanges) {
                  destructive = true;
                  add('srid-change', `changes the SRID of ${table}.${cmd.name as string}${geo?.srid !== undefined ? ` to ${geo.srid}` : ''}`);
                }
                if (narrows) {
                  destructive = true;
                  add('geometry-type-narrowing', `narrows ${table}.${cmd.name as string}${before ? ` from ${before.type}` : ''} to ${geo?.type}`);
                }
                if (!sridChanges && !narrows && !fresh) {
                  destructive = true;
                  add('changing-column-type', `changes the type of ${table}.${cmd.name as string}`);
                }
                break;
              }
              case 'AT_AddConstraint': {
                const con = (def as { Constraint?: Node })?.Constraint;
                if (con && (con.contype === 'CONSTR_CHECK' || con.contype === 'CONSTR_FOREIGN') && !con.skip_validation && !fresh) {
                  add('constraint-missing-not-valid', `constraint ${(con.conname as string) ?? ''} on ${table} is validated immediately`);
                }
                break;
              }
              default:
                break;
            }
          }
          break;
        }
        case 'UpdateStmt':
          if (!n.whereClause) add('update-without-where', `UPDATE ${relname(n.relation)} without WHERE`);
          break;
        case 'DeleteStmt':
          if (!n.whereClause) {
            destructive = true;
            add('delete-without-where', `DELETE FROM ${relname(n.relation)} without WHERE`);
          }
          break;
        case 'VariableSetStmt': {
          const name = (n.name as string | undefined)?.toLowerCase();
          if (name === 'lock_timeout') setsLockTimeout = true;
          if ((name === 'lock_timeout' || name === 'statement_timeout') && ((n.args as unknown[]) ?? []).some(isZero)) add('timeout-disabled', `SET ${name} = 0`);
          break;
        }
        default:
          break;
      }
      if (functionsIn(n).includes('updategeometrysrid')) {
        destructive = true;
        add('srid-change', 'UpdateGeometrySRID rewrites the column in a new SRID');
      }
    }
  }

  for (const g of geometryColumns) {
    if (!indexed.has(`${g.table}.${g.column}`)) {
      findings.push(finding('geometry-without-spatial-index', `${g.table}.${g.column} gets no spatial index in this migration`, m, g.step, lineColumn(g.sql, g.statement.offset), g.file));
    }
  }
  if (destructive && m.down.length === 0) findings.push(finding('destructive-without-down', `migration ${m.name} is destructive and has no down steps`, m, 'up'));
  if (!setsLockTimeout && m.up.some((s) => s.type === 'sql')) findings.push(finding('require-timeout-settings', `migration ${m.name} sets no lock_timeout`, m, 'up'));
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
