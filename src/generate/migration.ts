import { stringify } from 'yaml';
import type { WrittenMigration } from '../config/index.js';
import { type TableInfo, quoteLiteral } from '../db/index.js';
import { GenerateError, type GeneratedFile, isoSeconds, qualifiedTable, sqlIdent } from './layer.js';
import { resourceName } from './names.js';
import { columnDefault, columnType } from './sql-fragments.js';
import { type ExpectedMigrationSql, verifyMigrationSql } from './verify-sql.js';

/**
 * Migrations of the common kinds, each with down steps, preconditions, post-up and post-down
 * validations, bounded timeouts and automatic rollback, written so the linter has nothing to
 * say: a spatial index (built CONCURRENTLY), a new column (nullable or with a constant default;
 * a geometry column gets its spatial index in the same migration), and a new table for a layer
 * (identity key, typed geometry column, GiST index). Pure: the caller says which migrations
 * exist (for the next id and the dependency) and what the table looks like.
 *
 * What the caller supplies is never pasted into SQL as it comes: names are checked and quoted
 * where they need it, types and defaults must parse as one type name and one constant
 * (sql-fragments.ts), literals are quoted, and the finished migration is parsed back and must
 * hold exactly the statements meant (verify-sql.ts). Call loadParser() first.
 */
export interface ExistingMigration {
  id: string;
  name: string;
}

export interface MigrationBase {
  existing: readonly ExistingMigration[];
  author?: string;
  now: Date;
  /** Canonical environment names; default every environment. */
  environments?: string[];
}

export interface GeneratedMigration {
  id: string;
  name: string;
  migration: WrittenMigration;
  files: GeneratedFile[];
  notes: string[];
}

export interface ColumnSpec {
  name: string;
  /** SQL type as PostgreSQL writes it: text, integer, numeric(10,2), geometry(Point, 4326), ... */
  type: string;
  nullable?: boolean;
  /** A constant SQL expression (a literal); volatile defaults rewrite the table and are refused. */
  default?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** The next id (one more than the highest numeric id, as wide as the widest) and the migration to depend on. */
export function nextMigration(existing: readonly ExistingMigration[]): { id: string; dependsOn?: string } {
  const numeric = existing.map((m) => ({ m, n: /^\d+/.exec(m.id) })).filter((x): x is { m: ExistingMigration; n: RegExpExecArray } => x.n !== null);
  if (numeric.length === 0) return { id: '001' };
  numeric.sort((a, b) => Number(a.n[0]) - Number(b.n[0]) || a.m.name.localeCompare(b.m.name));
  const last = numeric.at(-1) as { m: ExistingMigration; n: RegExpExecArray };
  const width = Math.max(3, ...numeric.map((x) => x.n[0].length));
  return { id: String(Number(last.n[0]) + 1).padStart(width, '0'), dependsOn: last.m.name };
}

const indexName = (table: string, column: string): string =>
  `idx_${table}_${column}`
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 63);

function checkIdent(what: string, name: string): void {
  if (!IDENT.test(name) || name.length > 63) {
    throw new GenerateError('bad-identifier', `${what} "${name}" is not a plain SQL identifier`, {
      hint: 'Use letters, digits and underscores (at most 63), starting with a letter; lowercase avoids quoting.',
    });
  }
}

function document(
  base: MigrationBase,
  slug: string,
  description: string,
  spec: Omit<WrittenMigration['spec'], 'dependencies'>,
  expected: ExpectedMigrationSql,
): GeneratedMigration {
  const { id, dependsOn } = nextMigration(base.existing);
  const name = `${id}_${slug}`.slice(0, 80);
  const metadata: WrittenMigration['metadata'] = { id, description, author: base.author ?? 'ai-consultant', created: isoSeconds(base.now) };
  if (base.environments && base.environments.length > 0) metadata.environments = base.environments;
  const migration: WrittenMigration = {
    apiVersion: 'honua.io/v1',
    kind: 'Migration',
    metadata,
    spec: { ...(dependsOn ? { dependencies: [dependsOn] } : {}), ...spec },
  };
  verifyMigrationSql(migration, expected);
  const path = `migrations/${name}.yaml`;
  return { id, name, migration, files: [{ path, content: `# ${path}\n${stringify(migration, { lineWidth: 0 })}` }], notes: [] };
}

const indexExists = (schema: string, index: string, expected: '1 row' | '0 rows') => ({
  type: 'query' as const,
  query: `SELECT indexname FROM pg_indexes WHERE schemaname = ${quoteLiteral(schema)} AND indexname = ${quoteLiteral(index)}`,
  expected,
});

const TIMEOUTS = { lockTimeout: '5s', statementTimeout: '30m' };
const ROLLBACK = { automatic: true, triggers: ['validation-failure' as const, 'migration-error' as const] };

/** CREATE INDEX CONCURRENTLY ... USING GIST on a geometry column that has no spatial index yet. */
export function spatialIndexMigration(table: TableInfo, base: MigrationBase & { column?: string }): GeneratedMigration {
  const where = qualifiedTable(table);
  const geometry = base.column ? table.geometryColumns.find((g) => g.column === base.column) : table.geometryColumns[0];
  if (!geometry) {
    throw new GenerateError(
      'no-geometry-column',
      base.column ? `${where} has no geometry column "${base.column}"` : `${where} has no geometry or geography column to index`,
      {
        hint: table.geometryColumns.length > 0 ? `Its geometry columns: ${table.geometryColumns.map((g) => g.column).join(', ')}.` : undefined,
      },
    );
  }
  if (geometry.spatialIndex) {
    throw new GenerateError('index-exists', `${where}.${geometry.column} already has a spatial index (${geometry.spatialIndex})`, {
      hint: 'Nothing to do; honua db inspect shows the indexes.',
    });
  }
  if (table.kind !== 'table' && table.kind !== 'materialized view' && table.kind !== 'partitioned table') {
    throw new GenerateError('not-a-table', `${where} is a ${table.kind}; only tables and materialized views have indexes`, {
      hint: 'Index the table the view reads from.',
    });
  }
  const index = indexName(table.name, geometry.column);
  const q = table.schema === 'public' ? sqlIdent(table.name) : `${sqlIdent(table.schema)}.${sqlIdent(table.name)}`;
  const qIndex = table.schema === 'public' ? index : `${sqlIdent(table.schema)}.${index}`;
  return document(
    base,
    `add_spatial_index_${resourceName(table.name).replace(/-/g, '_')}`,
    `Add a spatial index on ${where}.${geometry.column}`,
    {
      preConditions: [
        { type: 'table-exists', table: table.name, schema: table.schema },
        { type: 'column-exists', table: table.name, column: geometry.column, schema: table.schema },
      ],
      up: [
        {
          name: 'Create spatial index',
          type: 'sql',
          content: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index}\n  ON ${q}\n  USING GIST (${sqlIdent(geometry.column)});\n`,
        },
        { name: 'Analyze table', type: 'sql', content: `ANALYZE ${q};\n` },
      ],
      down: [{ name: 'Drop spatial index', type: 'sql', content: `DROP INDEX CONCURRENTLY IF EXISTS ${qIndex};\n` }],
      validation: { 'post-up': [indexExists(table.schema, index, '1 row')], 'post-down': [indexExists(table.schema, index, '0 rows')] },
      rollback: ROLLBACK,
      ...TIMEOUTS,
    },
    {
      up: [
        [{ type: 'IndexStmt', object: { schema: table.schema, name: table.name } }],
        [{ type: 'VacuumStmt', object: { schema: table.schema, name: table.name } }],
      ],
      down: [[{ type: 'DropStmt', object: { schema: table.schema, name: index } }]],
    },
  );
}

const columnExists = (schema: string, table: string, column: string, expected: '1 row' | '0 rows') => ({
  type: 'query' as const,
  query: `SELECT column_name FROM information_schema.columns WHERE table_schema = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(table)} AND column_name = ${quoteLiteral(column)}`,
  expected,
});

const spatialType = (sqlType: string): { type: string; srid: number } | undefined => {
  const m = /^\s*(geometry|geography)\s*(?:\(\s*([A-Za-z]+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(sqlType);
  if (!m) return undefined;
  return { type: m[2] ?? 'Geometry', srid: Number(m[3] ?? (m[1]?.toLowerCase() === 'geography' ? 4326 : 0)) };
};

/** ALTER TABLE ... ADD COLUMN, nullable or with a constant default; a geometry column comes with its GiST index. */
export function addColumnMigration(table: TableInfo, column: ColumnSpec, base: MigrationBase): GeneratedMigration {
  const where = qualifiedTable(table);
  checkIdent('column name', column.name);
  if (table.columns.some((c) => c.name === column.name))
    throw new GenerateError('column-exists', `${where} already has a column "${column.name}"`, { hint: 'Pick another name.' });
  if (table.kind !== 'table' && table.kind !== 'partitioned table')
    throw new GenerateError('not-a-table', `${where} is a ${table.kind}; columns are added to tables`);
  const type = columnType(column.type);
  const defaultSql = column.default === undefined ? undefined : columnDefault(column.default);
  const nullable = column.nullable ?? true;
  if (!nullable && defaultSql === undefined) {
    throw new GenerateError('not-null-without-default', `a NOT NULL column without a default fails on a table that has rows`, {
      hint: 'Give it a constant default, or add it nullable, backfill it, and set NOT NULL in a later migration.',
    });
  }
  const q = table.schema === 'public' ? sqlIdent(table.name) : `${sqlIdent(table.schema)}.${sqlIdent(table.name)}`;
  const col = sqlIdent(column.name);
  const definition = `${col} ${type}${defaultSql !== undefined ? ` DEFAULT ${defaultSql}` : ''}${nullable ? '' : ' NOT NULL'}`;
  const up: WrittenMigration['spec']['up'] = [
    { name: `Add column ${column.name}`, type: 'sql', content: `ALTER TABLE ${q}\n  ADD COLUMN IF NOT EXISTS ${definition};\n` },
  ];
  const down: WrittenMigration['spec']['down'] = [];
  const postUp = [columnExists(table.schema, table.name, column.name, '1 row')];
  const postDown = [columnExists(table.schema, table.name, column.name, '0 rows')];
  const spatial = spatialType(type);
  if (spatial) {
    const index = indexName(table.name, column.name);
    up.push({ name: 'Create spatial index', type: 'sql', content: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index}\n  ON ${q}\n  USING GIST (${col});\n` });
    down.push({
      name: 'Drop spatial index',
      type: 'sql',
      content: `DROP INDEX CONCURRENTLY IF EXISTS ${table.schema === 'public' ? index : `${sqlIdent(table.schema)}.${index}`};\n`,
    });
    postUp.push(indexExists(table.schema, index, '1 row'));
  }
  down.push({ name: `Drop column ${column.name}`, type: 'sql', content: `ALTER TABLE ${q}\n  DROP COLUMN IF EXISTS ${col};\n` });
  const on = { schema: table.schema, name: table.name };
  const out = document(
    base,
    `add_${column.name}_to_${resourceName(table.name).replace(/-/g, '_')}`.toLowerCase(),
    `Add column ${column.name} (${type}) to ${where}`,
    {
      preConditions: [
        { type: 'table-exists', table: table.name, schema: table.schema },
        { ...columnExists(table.schema, table.name, column.name, '0 rows'), name: `${column.name} does not exist yet` },
      ],
      up,
      down,
      validation: { 'post-up': postUp, 'post-down': postDown },
      rollback: ROLLBACK,
      ...TIMEOUTS,
    },
    {
      up: [[{ type: 'AlterTableStmt', object: on, subtypes: ['AT_AddColumn'] }], ...(spatial ? [[{ type: 'IndexStmt' as const, object: on }]] : [])],
      down: [
        ...(spatial ? [[{ type: 'DropStmt' as const, object: { schema: table.schema, name: indexName(table.name, column.name) } }]] : []),
        [{ type: 'AlterTableStmt', object: on, subtypes: ['AT_DropColumn'] }],
      ],
    },
  );
  out.notes.push('The down steps drop the column and its data; a backup is taken before a deployment applies migrations.');
  return out;
}

export interface NewTableSpec {
  schema?: string;
  name: string;
  geometryType: string;
  srid: number;
  geometryColumn?: string;
  idColumn?: string;
  columns: ColumnSpec[];
  comment?: string;
}

/** CREATE TABLE for a new layer: an identity key, the columns, a typed geometry column and its GiST index. */
/** PostGIS geometry type names, with an optional Z, M or ZM. */
const GEOMETRY_TYPE =
  /^(?:Geometry|Point|LineString|Polygon|MultiPoint|MultiLineString|MultiPolygon|GeometryCollection|CircularString|CompoundCurve|CurvePolygon|MultiCurve|MultiSurface|PolyhedralSurface|Tin|Triangle)(?:Z|M|ZM)?$/i;

export function addTableMigration(
  spec: NewTableSpec,
  existingTables: ReadonlyArray<Pick<TableInfo, 'schema' | 'name'>>,
  base: MigrationBase,
): GeneratedMigration {
  const schema = spec.schema ?? 'public';
  checkIdent('table name', spec.name);
  checkIdent('schema name', schema);
  const where = schema === 'public' ? spec.name : `${schema}.${spec.name}`;
  if (existingTables.some((t) => t.schema === schema && t.name === spec.name))
    throw new GenerateError('table-exists', `${where} already exists`, { hint: 'Publish it as a layer instead (honua-ai generate layer).' });
  if (!Number.isInteger(spec.srid) || spec.srid <= 0 || spec.srid > 999_999)
    throw new GenerateError('bad-srid', `SRID ${spec.srid} is not a positive integer`, { hint: 'e.g. 4326 for WGS 84 longitude/latitude.' });
  if (!GEOMETRY_TYPE.test(spec.geometryType)) {
    throw new GenerateError('bad-geometry-type', `${JSON.stringify(spec.geometryType.slice(0, 60))} is not a PostGIS geometry type`, {
      hint: 'Use Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon or Geometry (Z/M suffixes allowed).',
      fault: 'model',
    });
  }
  const geometryColumn = spec.geometryColumn ?? 'geom';
  const idColumn = spec.idColumn ?? 'id';
  checkIdent('geometry column', geometryColumn);
  checkIdent('id column', idColumn);
  const seen = new Set([idColumn, geometryColumn]);
  const columns = spec.columns.map((c) => {
    checkIdent('column name', c.name);
    if (seen.has(c.name)) throw new GenerateError('duplicate-column', `column "${c.name}" is listed twice (id and geometry columns are added for you)`);
    seen.add(c.name);
    const type = columnType(c.type);
    const defaultSql = c.default === undefined ? undefined : columnDefault(c.default);
    return `  ${sqlIdent(c.name)} ${type}${defaultSql !== undefined ? ` DEFAULT ${defaultSql}` : ''}${c.nullable === false ? ' NOT NULL' : ''}`;
  });
  const q = schema === 'public' ? sqlIdent(spec.name) : `${sqlIdent(schema)}.${sqlIdent(spec.name)}`;
  const index = indexName(spec.name, geometryColumn);
  const lines = [
    `  ${sqlIdent(idColumn)} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`,
    ...columns,
    `  ${sqlIdent(geometryColumn)} geometry(${spec.geometryType}, ${spec.srid}) NOT NULL`,
  ];
  const comment = spec.comment ? `\nCOMMENT ON TABLE ${q} IS ${quoteLiteral(spec.comment)};` : '';
  const tableExists = (expected: '1 row' | '0 rows') => ({
    type: 'query' as const,
    query: `SELECT table_name FROM information_schema.tables WHERE table_schema = ${quoteLiteral(schema)} AND table_name = ${quoteLiteral(spec.name)}`,
    expected,
  });
  const on = { schema, name: spec.name };
  return document(
    base,
    `add_${spec.name}_table`.toLowerCase(),
    `Add table ${where} for a new layer`,
    {
      preConditions: [
        { type: 'extension-exists', extension: 'postgis' },
        { ...tableExists('0 rows'), name: `${where} does not exist yet` },
      ],
      up: [
        { name: `Create table ${where}`, type: 'sql', content: `CREATE TABLE ${q} (\n${lines.join(',\n')}\n);${comment}\n` },
        // The table is new and empty: a plain CREATE INDEX locks nothing anyone is using.
        { name: 'Create spatial index', type: 'sql', content: `CREATE INDEX ${index}\n  ON ${q}\n  USING GIST (${sqlIdent(geometryColumn)});\n` },
      ],
      down: [{ name: `Drop table ${where}`, type: 'sql', content: `DROP TABLE IF EXISTS ${q};\n` }],
      validation: {
        'post-up': [
          {
            type: 'query',
            query: `SELECT f_geometry_column FROM geometry_columns WHERE f_table_schema = ${quoteLiteral(schema)} AND f_table_name = ${quoteLiteral(spec.name)} AND f_geometry_column = ${quoteLiteral(geometryColumn)} AND srid = ${spec.srid}`,
            expected: '1 row',
          },
          indexExists(schema, index, '1 row'),
        ],
        'post-down': [tableExists('0 rows')],
      },
      rollback: ROLLBACK,
      ...TIMEOUTS,
    },
    {
      up: [[{ type: 'CreateStmt', object: on }, ...(comment ? [{ type: 'CommentStmt' as const, object: on }] : [])], [{ type: 'IndexStmt', object: on }]],
      down: [[{ type: 'DropStmt', object: on }]],
    },
  );
}
