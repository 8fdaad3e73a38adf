import type { Database } from './database.js';
import type { GeometryInfo, IndexInfo, Inspection, TableInfo } from './inspection-format.js';
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.js';

/**
 * Reads what is in a PostGIS database from the catalogs: tables and views, columns, primary and
 * foreign keys, geometry and geography columns (type, SRID and dimensions from the column's type
 * modifier), indexes (which are spatial, which are invalid), row estimates and extents.
 * Everything is a handful of set-based queries, so a database of 1,000 tables is inspected as
 * fast as one of ten. Objects owned by extensions (spatial_ref_sys, PostGIS's views) and the
 * topology/tiger schemas are left out, as is Honua's own `honua` schema.
 */
export interface InspectOptions {
  schema?: string;
  table?: string;
  /** Count rows exactly (reads every row of every table inspected). */
  exactCounts?: boolean;
  /** Compute extents from the data rather than planner statistics. */
  exactExtents?: boolean;
}

const EXCLUDED_SCHEMAS = ['pg_catalog', 'information_schema', 'topology', 'tiger', 'tiger_data', 'honua'];
const KIND: Record<string, TableInfo['kind']> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };
const SPATIAL_METHODS = new Set(['gist', 'spgist', 'brin']);

interface RelRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  comment: string | null;
  reltuples: number;
}

export async function inspectDatabase(db: Database, options: InspectOptions = {}): Promise<Inspection> {
  const versions = await db.query<{ server: string; postgis: string | null }>(
    `SELECT current_setting('server_version') AS server,
            (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`,
  );
  const rels = await db.query<RelRow>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
            obj_description(c.oid, 'pg_class') AS comment, c.reltuples::float8 AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname <> ALL ($1::text[]) AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT c.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        AND ($2::text IS NULL OR n.nspname = $2) AND ($3::text IS NULL OR c.relname = $3)
      ORDER BY n.nspname, c.relname`,
    [EXCLUDED_SCHEMAS, options.schema ?? null, options.table ?? null],
  );
  const oids = rels.rows.map((r) => r.oid);
  const [columns, constraints, indexes] = await Promise.all([
    db.query<{
      oid: number;
      attnum: number;
      name: string;
      type: string;
      typname: string;
      nullable: boolean;
      default: string | null;
      comment: string | null;
      gtype: string | null;
      srid: number | null;
      dims: number | null;
    }>(
      `SELECT a.attrelid::int8 AS oid, a.attnum::int AS attnum, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typname AS typname,
              NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default, col_description(a.attrelid, a.attnum) AS comment,
              CASE WHEN t.typname IN ('geometry', 'geography') THEN postgis_typmod_type(a.atttypmod) END AS gtype,
              CASE WHEN t.typname IN ('geometry', 'geography') THEN postgis_typmod_srid(a.atttypmod) END AS srid,
              CASE WHEN t.typname IN ('geometry', 'geography') THEN postgis_typmod_dims(a.atttypmod) END AS dims
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum`,
      [oids],
    ),
    db.query<{ oid: number; name: string; contype: string; conkey: number[]; refschema: string | null; reftable: string | null; refcols: string[] | null }>(
      `SELECT c.conrelid::int8 AS oid, c.conname AS name, c.contype::text AS contype, c.conkey::int[] AS conkey,
              rn.nspname AS refschema, r.relname AS reftable,
              (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS refcols
         FROM pg_constraint c
         LEFT JOIN pg_class r ON r.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
        WHERE c.conrelid = ANY ($1::oid[]) AND c.contype IN ('p', 'f')`,
      [oids],
    ),
    db.query<{ oid: number; name: string; method: string; valid: boolean; unique: boolean; primary: boolean; definition: string; keys: number[] }>(
      `SELECT i.indrelid::int8 AS oid, ic.relname AS name, am.amname AS method, i.indisvalid AS valid, i.indisunique AS unique,
              i.indisprimary AS primary, pg_get_indexdef(i.indexrelid) AS definition, string_to_array(i.indkey::text, ' ')::int[] AS keys
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
        WHERE i.indrelid = ANY ($1::oid[])
        ORDER BY ic.relname`,
      [oids],
    ),
  ]);

  const colsByOid = group(columns.rows, (c) => c.oid);
  const consByOid = group(constraints.rows, (c) => c.oid);
  const idxByOid = group(indexes.rows, (c) => c.oid);
  const tables: TableInfo[] = rels.rows.map((rel) => {
    const cols = colsByOid.get(rel.oid) ?? [];
    const nameOf = (attnum: number): string => cols.find((c) => c.attnum === attnum)?.name ?? `#${attnum}`;
    const pk = (consByOid.get(rel.oid) ?? []).find((c) => c.contype === 'p');
    const primaryKey = pk ? pk.conkey.map(nameOf) : [];
    const idx: IndexInfo[] = (idxByOid.get(rel.oid) ?? []).map((i) => ({
      name: i.name,
      method: i.method,
      columns: i.keys.map((k) => (k === 0 ? '(expression)' : nameOf(k))),
      unique: i.unique,
      primary: i.primary,
      valid: i.valid,
      spatial: SPATIAL_METHODS.has(i.method) && i.keys.some((k) => cols.find((c) => c.attnum === k)?.gtype != null),
      definition: i.definition,
    }));
    const geometryColumns: GeometryInfo[] = cols
      .filter((c) => c.typname === 'geometry' || c.typname === 'geography')
      .map((c) => ({
        column: c.name,
        kind: c.typname as 'geometry' | 'geography',
        type: c.gtype ?? 'Geometry',
        srid: c.srid ?? 0,
        dimensions: c.dims ?? 2,
        spatialIndex: idx.find((i) => i.valid && SPATIAL_METHODS.has(i.method) && i.columns[0] === c.name)?.name ?? null,
        extent: null,
      }));
    const kind = KIND[rel.relkind] ?? 'table';
    const findings: TableInfo['findings'] = [];
    if (kind === 'table' || kind === 'materialized view' || kind === 'partitioned table') {
      for (const g of geometryColumns) {
        if (!g.spatialIndex)
          findings.push({
            code: 'missing-spatial-index',
            column: g.column,
            message: `${g.column} has no spatial (GiST) index: bounding-box queries read the whole table`,
          });
      }
      for (const i of idx)
        if (!i.valid)
          findings.push({ code: 'invalid-index', message: `index ${i.name} is INVALID (a failed CREATE INDEX CONCURRENTLY?): drop it and build it again` });
      if (kind === 'table' && primaryKey.length === 0) findings.push({ code: 'no-primary-key', message: 'no primary key: features have no stable id' });
      if (rel.reltuples < 0) findings.push({ code: 'not-analyzed', message: 'never analyzed: row estimates and extents are unknown (run ANALYZE)' });
    }
    return {
      schema: rel.schema,
      name: rel.name,
      kind,
      comment: rel.comment,
      estimatedRows: rel.reltuples < 0 || kind === 'view' ? null : Math.round(rel.reltuples),
      rows: null,
      primaryKey,
      columns: cols.map((c) => ({
        name: c.name,
        position: c.attnum,
        type: c.type,
        nullable: c.nullable,
        default: c.default,
        comment: c.comment,
        primaryKey: primaryKey.includes(c.name),
      })),
      geometryColumns,
      indexes: idx,
      foreignKeys: (consByOid.get(rel.oid) ?? [])
        .filter((c) => c.contype === 'f')
        .map((c) => ({
          name: c.name,
          columns: c.conkey.map(nameOf),
          references: { schema: c.refschema ?? '', table: c.reftable ?? '', columns: c.refcols ?? [] },
        })),
      findings,
    };
  });

  await addExtents(db, tables, options.exactExtents === true);
  if (options.exactCounts) {
    for (const t of tables) {
      const r = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteQualified(t.name, t.schema)}`);
      t.rows = Number(r.rows[0]?.n ?? 0);
    }
  }

  const geometryColumns = tables.flatMap((t) => t.geometryColumns.map((g) => ({ t, g })));
  return {
    schemaVersion: 'honua.inspection/v1',
    database: { description: db.description, kind: db.kind, serverVersion: versions.rows[0]?.server ?? '', postgisVersion: versions.rows[0]?.postgis ?? null },
    tables,
    summary: {
      tables: tables.filter((t) => t.kind !== 'view').length,
      views: tables.filter((t) => t.kind === 'view').length,
      geometryColumns: geometryColumns.length,
      missingSpatialIndex: tables.flatMap((t) => t.findings.filter((f) => f.code === 'missing-spatial-index').map((f) => `${t.schema}.${t.name}.${f.column}`)),
      invalidIndexes: tables.flatMap((t) => t.indexes.filter((i) => !i.valid).map((i) => `${t.schema}.${i.name}`)),
    },
  };
}

/** Extents of every geometry column in one query: planner estimates, or exact (reads the data) on request. */
async function addExtents(db: Database, tables: TableInfo[], exact: boolean): Promise<void> {
  const targets = tables.flatMap((t) => t.geometryColumns.map((g) => ({ t, g })));
  if (targets.length === 0) return;
  const parts = targets.map(({ t, g }, i) => {
    const col = g.kind === 'geography' ? `${quoteIdent(g.column)}::geometry` : quoteIdent(g.column);
    const box = exact
      ? `(SELECT ST_Extent(${col}) FROM ${quoteQualified(t.name, t.schema)})`
      : t.kind === 'view'
        ? 'NULL::box2d'
        : `ST_EstimatedExtent(${quoteLiteral(t.schema)}, ${quoteLiteral(t.name)}, ${quoteLiteral(g.column)})`;
    return `SELECT ${i} AS i, ST_XMin(b) AS x0, ST_YMin(b) AS y0, ST_XMax(b) AS x1, ST_YMax(b) AS y1 FROM (SELECT ${box} AS b) s`;
  });
  type Row = { i: number; x0: number | null; y0: number | null; x1: number | null; y1: number | null };
  const apply = (rows: Row[]): void => {
    for (const row of rows) {
      const target = targets[row.i];
      if (!target || row.x0 === null || row.y0 === null || row.x1 === null || row.y1 === null) continue;
      target.g.extent = { bbox: [row.x0, row.y0, row.x1, row.y1], srid: target.g.srid, estimated: !exact };
    }
  };
  // Bounded batches keep each statement a reasonable size on very large databases. One odd table
  // (a name PostGIS quotes badly, statistics it cannot read, a view that fails) must not cost the
  // others their extents: a failed batch is retried one column at a time, and a column that still
  // fails has no extent.
  for (let start = 0; start < parts.length; start += 200) {
    const batch = parts.slice(start, start + 200);
    try {
      apply((await db.query<Row>(batch.join('\nUNION ALL\n'))).rows);
    } catch {
      for (const part of batch) {
        try {
          apply((await db.query<Row>(part)).rows);
        } catch {
          // no extent for this column
        }
      }
    }
  }
}

function group<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
