import type { Statement } from '../sql/parse.js';
import { isVolatileFunction } from '../sql/volatile-functions.js';
import type { LintRuleCode } from './lint-rules.js';
import { alterCommands, functionsIn, geometryTypeOf, isZero, names, type Node, relname } from './sql-tree.js';

/**
 * The linter's checks of single statements: one function per rule of the catalogue
 * (lint-rules.ts), each looking at one statement and reporting what it finds. They run in this
 * order on every statement of a migration's up steps.
 */

/** What the linter may know about the current database (from `honua db inspect`), for precise PostGIS rules. */
export interface KnownGeometry {
  table: string;
  column: string;
  type: string;
  srid: number;
}

export interface StatementContext {
  /** Tables created earlier in this migration: exempt from the rules about existing tables. */
  created: ReadonlySet<string>;
  /** The step is one transaction (BEGIN in its SQL, or transactional: true). */
  inTransaction: boolean;
  known: readonly KnownGeometry[];
}

export type Report = (code: LintRuleCode, message: string) => void;
export type StatementCheck = (s: Statement, ctx: StatementContext, report: Report) => void;

const dropType = (s: Statement): string | undefined => (s.type === 'DropStmt' ? (s.node.removeType as string) : undefined);
const dropped = (s: Statement): string =>
  ((s.node.objects as unknown[]) ?? []).map((o) => names((o as { List?: { items?: unknown } }).List?.items).join('.')).join(', ');

const banCascade: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'DropStmt' && s.node.behavior === 'DROP_CASCADE') report('ban-cascade', 'DROP ... CASCADE');
  if (s.type === 'TruncateStmt' && s.node.behavior === 'DROP_CASCADE') report('ban-cascade', 'TRUNCATE ... CASCADE');
  for (const { cmd } of alterCommands(s))
    if (cmd.subtype === 'AT_DropColumn' && cmd.behavior === 'DROP_CASCADE') report('ban-cascade', 'DROP COLUMN ... CASCADE');
};

const banDropTable: StatementCheck = (s, _ctx, report) => {
  if (dropType(s) === 'OBJECT_TABLE') report('ban-drop-table', `drops table ${dropped(s)}`);
};

const banDropSchema: StatementCheck = (s, _ctx, report) => {
  if (dropType(s) === 'OBJECT_SCHEMA') report('ban-drop-schema', 'drops a schema');
};

const requireConcurrentIndexDeletion: StatementCheck = (s, _ctx, report) => {
  if (dropType(s) === 'OBJECT_INDEX' && !s.node.concurrent) report('require-concurrent-index-deletion', 'DROP INDEX without CONCURRENTLY');
};

const banConcurrentIndexInTransaction: StatementCheck = (s, ctx, report) => {
  if (!ctx.inTransaction || !s.node.concurrent) return;
  if (s.type === 'DropStmt') report('ban-concurrent-index-creation-in-transaction', 'DROP INDEX CONCURRENTLY inside a transaction');
  if (s.type === 'IndexStmt') report('ban-concurrent-index-creation-in-transaction', 'CREATE INDEX CONCURRENTLY inside a transaction');
};

const banTruncate: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'TruncateStmt') report('ban-truncate', 'TRUNCATE');
};

const renamingTable: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'RenameStmt' && s.node.renameType === 'OBJECT_TABLE')
    report('renaming-table', `renames table ${relname(s.node.relation)} to ${s.node.newname as string}`);
};

const renamingColumn: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'RenameStmt' && s.node.renameType === 'OBJECT_COLUMN')
    report('renaming-column', `renames column ${relname(s.node.relation)}.${s.node.subname as string} to ${s.node.newname as string}`);
};

const requireConcurrentIndexCreation: StatementCheck = (s, ctx, report) => {
  if (s.type !== 'IndexStmt' || s.node.concurrent) return;
  const table = relname(s.node.relation);
  if (table && !ctx.created.has(table))
    report(
      'require-concurrent-index-creation',
      `CREATE INDEX ${(s.node.idxname as string) ?? ''} on existing table ${table} without CONCURRENTLY`.replace('  ', ' '),
    );
};

const banDropColumn: StatementCheck = (s, _ctx, report) => {
  for (const { table, cmd } of alterCommands(s)) if (cmd.subtype === 'AT_DropColumn') report('ban-drop-column', `drops column ${table}.${cmd.name as string}`);
};

/** The ADD COLUMNs of a statement on tables that existed before the migration, with their constraints. */
const addedColumns = (s: Statement, ctx: StatementContext) =>
  alterCommands(s)
    .filter(({ table, cmd }) => cmd.subtype === 'AT_AddColumn' && !ctx.created.has(table))
    .map(({ table, def }) => {
      const col = (def as { ColumnDef?: { colname?: string; constraints?: unknown[] } } | undefined)?.ColumnDef;
      const constraints = (col?.constraints ?? []).map((x) => (x as { Constraint?: Node }).Constraint).filter((x): x is Node => x !== undefined);
      return { table, column: col?.colname, constraints };
    });

const addingNotNullableField: StatementCheck = (s, ctx, report) => {
  for (const { table, column, constraints } of addedColumns(s, ctx)) {
    if (constraints.some((x) => x.contype === 'CONSTR_NOTNULL') && !constraints.some((x) => x.contype === 'CONSTR_DEFAULT'))
      report('adding-not-nullable-field', `adds NOT NULL column ${table}.${column} without a default`);
  }
};

// Volatile functions only: since PostgreSQL 11 a STABLE default such as now() is evaluated once and does not rewrite the table.
const addingFieldWithVolatileDefault: StatementCheck = (s, ctx, report) => {
  for (const { table, column, constraints } of addedColumns(s, ctx)) {
    const dflt = constraints.find((x) => x.contype === 'CONSTR_DEFAULT');
    if (dflt && functionsIn(dflt.raw_expr).some(isVolatileFunction))
      report('adding-field-with-volatile-default', `column ${table}.${column} has a volatile default`);
  }
};

const settingNotNullable: StatementCheck = (s, ctx, report) => {
  for (const { table, cmd } of alterCommands(s))
    if (cmd.subtype === 'AT_SetNotNull' && !ctx.created.has(table)) report('setting-not-nullable', `SET NOT NULL on ${table}.${cmd.name as string}`);
};

/**
 * A column type change is one of three findings: an SRID change (a new SRID, or a USING with
 * ST_Transform/ST_SetSRID), a geometry narrowing (Multi* to single), or else a plain type change
 * that rewrites the table.
 */
const changingColumnType: StatementCheck = (s, ctx, report) => {
  for (const { table, cmd, def } of alterCommands(s)) {
    if (cmd.subtype !== 'AT_AlterColumnType') continue;
    const col = (def as { ColumnDef?: { typeName?: unknown; raw_default?: unknown } } | undefined)?.ColumnDef;
    const geo = geometryTypeOf(col?.typeName);
    const using = functionsIn(col?.raw_default);
    const before = ctx.known.find((k) => k.table === table && k.column === cmd.name);
    const sridChanges =
      geo && ((before && geo.srid !== undefined && geo.srid !== before.srid) || using.includes('st_transform') || using.includes('st_setsrid'));
    const narrows =
      geo?.type !== undefined &&
      !/^multi|^geometry$|collection/i.test(geo.type) &&
      ((before && /^multi/i.test(before.type)) || using.some((f) => f === 'st_geometryn' || f === 'st_dump'));
    if (sridChanges) report('srid-change', `changes the SRID of ${table}.${cmd.name as string}${geo?.srid !== undefined ? ` to ${geo.srid}` : ''}`);
    if (narrows) report('geometry-type-narrowing', `narrows ${table}.${cmd.name as string}${before ? ` from ${before.type}` : ''} to ${geo?.type}`);
    if (!sridChanges && !narrows && !ctx.created.has(table)) report('changing-column-type', `changes the type of ${table}.${cmd.name as string}`);
  }
};

const constraintMissingNotValid: StatementCheck = (s, ctx, report) => {
  for (const { table, cmd, def } of alterCommands(s)) {
    if (cmd.subtype !== 'AT_AddConstraint' || ctx.created.has(table)) continue;
    const con = (def as { Constraint?: Node } | undefined)?.Constraint;
    if (con && (con.contype === 'CONSTR_CHECK' || con.contype === 'CONSTR_FOREIGN') && !con.skip_validation)
      report('constraint-missing-not-valid', `constraint ${(con.conname as string) ?? ''} on ${table} is validated immediately`);
  }
};

const updateWithoutWhere: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'UpdateStmt' && !s.node.whereClause) report('update-without-where', `UPDATE ${relname(s.node.relation)} without WHERE`);
};

const deleteWithoutWhere: StatementCheck = (s, _ctx, report) => {
  if (s.type === 'DeleteStmt' && !s.node.whereClause) report('delete-without-where', `DELETE FROM ${relname(s.node.relation)} without WHERE`);
};

const timeoutDisabled: StatementCheck = (s, _ctx, report) => {
  if (s.type !== 'VariableSetStmt') return;
  const name = (s.node.name as string | undefined)?.toLowerCase();
  if ((name === 'lock_timeout' || name === 'statement_timeout') && ((s.node.args as unknown[]) ?? []).some(isZero))
    report('timeout-disabled', `SET ${name} = 0`);
};

const updateGeometrySrid: StatementCheck = (s, _ctx, report) => {
  if (functionsIn(s.node).includes('updategeometrysrid')) report('srid-change', 'UpdateGeometrySRID rewrites the column in a new SRID');
};

export const STATEMENT_CHECKS: readonly StatementCheck[] = [
  banCascade,
  banDropTable,
  banDropSchema,
  requireConcurrentIndexDeletion,
  banConcurrentIndexInTransaction,
  banTruncate,
  renamingTable,
  renamingColumn,
  requireConcurrentIndexCreation,
  banDropColumn,
  addingNotNullableField,
  addingFieldWithVolatileDefault,
  settingNotNullable,
  changingColumnType,
  constraintMissingNotValid,
  updateWithoutWhere,
  deleteWithoutWhere,
  timeoutDisabled,
  updateGeometrySrid,
];
