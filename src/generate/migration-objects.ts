import type { Migration } from '../config/index.js';
import { parseStatements, type Statement } from '../db/index.js';
import { GenerateError } from '../errors/index.js';

/**
 * What the repository's migrations create, read from their SQL with PostgreSQL's parser: the
 * tables, columns and indexes each one adds (and a later one may drop again). A generator
 * consults it before writing a migration, so it never proposes what a migration — applied or
 * still pending — already does: a second `CREATE INDEX` on bike_lanes.geom while 003 is pending
 * would fail, and its `down` would drop 003's index. Pure; call loadParser() first.
 */
export interface MigrationObject {
  kind: 'table' | 'column' | 'index';
  /** The migration (full name) that creates it. */
  migration: string;
  schema: string;
  table: string;
  column?: string;
  /** Index name and method (gist, btree, ...) and its columns. */
  index?: { name: string | undefined; method: string; columns: string[] };
}

type Node = Record<string, unknown>;

const rangeVar = (r: unknown): { schema: string; table: string } | undefined => {
  const n = r as Node | undefined;
  return n && typeof n.relname === 'string' ? { schema: typeof n.schemaname === 'string' ? n.schemaname : 'public', table: n.relname } : undefined;
};

function objectsOf(s: Statement, migration: string): { add: MigrationObject[]; drop: Array<Partial<MigrationObject> & { kind: MigrationObject['kind'] }> } {
  const add: MigrationObject[] = [];
  const drop: Array<Partial<MigrationObject> & { kind: MigrationObject['kind'] }> = [];
  const n = s.node;
  if (s.type === 'CreateStmt') {
    const where = rangeVar(n.relation);
    if (where) {
      add.push({ kind: 'table', migration, ...where });
      for (const e of (n.tableElts as Node[] | undefined) ?? []) {
        const col = (e.ColumnDef as Node | undefined)?.colname;
        if (typeof col === 'string') add.push({ kind: 'column', migration, ...where, column: col });
      }
    }
  } else if (s.type === 'IndexStmt') {
    const where = rangeVar(n.relation);
    const columns = ((n.indexParams as Node[] | undefined) ?? []).map((p) => ((p.IndexElem as Node | undefined)?.name as string | undefined) ?? '(expression)');
    if (where)
      add.push({
        kind: 'index',
        migration,
        ...where,
        index: { name: typeof n.idxname === 'string' ? n.idxname : undefined, method: typeof n.accessMethod === 'string' ? n.accessMethod : 'btree', columns },
      });
  } else if (s.type === 'AlterTableStmt') {
    const where = rangeVar(n.relation);
    for (const c of (n.cmds as Node[] | undefined) ?? []) {
      const cmd = c.AlterTableCmd as Node | undefined;
      if (!where || !cmd) continue;
      if (cmd.subtype === 'AT_AddColumn') {
        const col = ((cmd.def as Node | undefined)?.ColumnDef as Node | undefined)?.colname;
        if (typeof col === 'string') add.push({ kind: 'column', migration, ...where, column: col });
      } else if (cmd.subtype === 'AT_DropColumn' && typeof cmd.name === 'string') {
        drop.push({ kind: 'column', ...where, column: cmd.name });
      }
    }
  } else if (s.type === 'DropStmt') {
    const kind = n.removeType === 'OBJECT_TABLE' ? 'table' : n.removeType === 'OBJECT_INDEX' ? 'index' : undefined;
    for (const o of (n.objects as Node[] | undefined) ?? []) {
      const items = ((o.List as Node | undefined)?.items as Node[] | undefined)?.map((i) => (i.String as Node | undefined)?.sval as string) ?? [];
      const name = items.at(-1);
      const schema = items.length > 1 ? (items[0] as string) : 'public';
      if (!kind || !name) continue;
      drop.push(kind === 'table' ? { kind, schema, table: name } : { kind, schema, index: { name, method: '', columns: [] } });
    }
  }
  return { add, drop };
}

/** Everything the migrations (in the order given: apply order) leave created, each with the migration that created it. */
export function migrationObjects(migrations: readonly Migration[]): MigrationObject[] {
  let objects: MigrationObject[] = [];
  for (const m of migrations) {
    for (const step of m.up) {
      if (step.type !== 'sql' || !step.sql) continue;
      let statements: Statement[];
      try {
        statements = parseStatements(step.sql);
      } catch {
        continue; // a migration that does not parse is the linter's to report
      }
      for (const s of statements) {
        const { add, drop } = objectsOf(s, m.name);
        for (const d of drop) {
          objects = objects.filter((o) => {
            if (o.kind === 'table' && d.kind === 'table') return !(o.schema === d.schema && o.table === d.table);
            if (d.kind === 'table') return !(o.schema === d.schema && o.table === d.table);
            if (o.kind === 'column' && d.kind === 'column') return !(o.schema === d.schema && o.table === d.table && o.column === d.column);
            if (o.kind === 'index' && d.kind === 'index') return !(o.schema === d.schema && o.index?.name === d.index?.name);
            return true;
          });
        }
        objects.push(...add);
      }
    }
  }
  return objects;
}

const SPATIAL = new Set(['gist', 'spgist', 'brin']);

/** The migration that already gives `schema.table.column` a spatial index, if any. */
export const spatialIndexIn = (objects: readonly MigrationObject[], schema: string, table: string, column: string): MigrationObject | undefined =>
  objects.find((o) => o.kind === 'index' && o.schema === schema && o.table === table && SPATIAL.has(o.index?.method ?? '') && o.index?.columns[0] === column);

/** The migration that already adds `schema.table.column`, if any. */
export const columnIn = (objects: readonly MigrationObject[], schema: string, table: string, column: string): MigrationObject | undefined =>
  objects.find((o) => o.kind === 'column' && o.schema === schema && o.table === table && o.column === column);

/** The migration that already creates `schema.table`, if any. */
export const tableIn = (objects: readonly MigrationObject[], schema: string, table: string): MigrationObject | undefined =>
  objects.find((o) => o.kind === 'table' && o.schema === schema && o.table === table);

/**
 * The error for a request that a migration of the repository already fulfils: where that
 * migration stands in the environment ('applied', 'pending', or not known) says what to do.
 */
export function alreadyInMigration(found: MigrationObject, what: string, state: string, environment: string): GenerateError {
  return new GenerateError('already-in-migration', `migration ${found.migration} already ${what}; it is ${state} in ${environment}`, {
    hint:
      state === 'applied'
        ? 'Nothing to generate: the database has it once that migration is deployed everywhere (honua migrate status shows where it is applied).'
        : `Nothing to generate: deploy that migration (honua plan -e ${environment} lists it as pending), or edit it if it needs changing.`,
    data: { migration: found.migration, state, environment },
    fault: 'user',
  });
}
