import { quoteLiteral } from '../../db/index.js';
import type { Collection, OutputCrs } from '../registry.js';
import type { ItemsQuery } from './items-query.js';

/**
 * The SQL of an items page: one query, each row already a GeoJSON Feature as text, computed in
 * the database (`ST_AsGeoJSON`, properties by `json_build_object`), so the server writes rows as
 * they stream without parsing a geometry. The bbox is transformed to the storage CRS — never the
 * column — so the GiST index answers it; paging is by the id (keyset), OFFSET only when asked.
 */
export function geometryExpression(c: Collection, crs: OutputCrs, column = `t.${c.sql.geom}`): string {
  let g = crs.srid === c.storageSrid ? column : `ST_Transform(${column}, ${crs.srid})`;
  if (crs.latFirst) g = `ST_FlipCoordinates(${g})`;
  return g;
}

function propertiesExpression(c: Collection): string {
  const pairs = c.fields.filter((f) => f.column !== c.sql.geom).map((f) => `${quoteLiteral(f.name)}, t.${f.column}`);
  if (pairs.length === 0) return "'{}'";
  // json_build_object takes at most 100 arguments: larger layers are built in chunks and merged.
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) chunks.push(pairs.slice(i, i + 50).join(', '));
  return chunks.length === 1 ? `json_build_object(${chunks[0]})::text` : `(${chunks.map((ch) => `jsonb_build_object(${ch})`).join(' || ')})::text`;
}

/** `'{"type":"Feature",...}'` for one row. */
export function featureExpression(c: Collection, crs: OutputCrs): string {
  return `'{"type":"Feature","id":' || to_json(t.${c.sql.id})::text || ',"geometry":' || COALESCE(ST_AsGeoJSON(${geometryExpression(c, crs)}, 9), 'null') || ',"properties":' || ${propertiesExpression(c)} || '}'`;
}

interface Where {
  clauses: string[];
  params: unknown[];
}

function where(c: Collection, q: ItemsQuery): Where {
  const w: Where = { clauses: [], params: [] };
  const p = (v: unknown): string => {
    w.params.push(v);
    return `$${w.params.length}`;
  };
  if (q.bbox) {
    const crs = q.bbox.crs;
    const boxes = q.bbox.boxes.map((b) => {
      const envelope = `ST_MakeEnvelope(${p(b[0])}, ${p(b[1])}, ${p(b[2])}, ${p(b[3])}, ${crs.srid})`;
      const inStorage = crs.srid === c.storageSrid ? envelope : `ST_Transform(${envelope}, ${c.storageSrid})`;
      return `ST_Intersects(t.${c.sql.geom}, ${inStorage})`;
    });
    w.clauses.push(boxes.length === 1 ? (boxes[0] as string) : `(${boxes.join(' OR ')})`);
  }
  // A collection without a temporal field has no temporal information: datetime selects nothing out (/req/core/fc-time-response).
  if (q.datetime && c.sql.temporal) {
    const col = `t.${c.sql.temporal}`;
    const type = c.layer.fields.find((f) => f.name === c.layer.temporalField)?.type === 'date' ? 'date' : 'timestamptz';
    // A date on a timestamp column is the whole (UTC) day: 2026-01-31 as an end includes 15:00 that day.
    const dayOnly = (v: string) => type === 'timestamptz' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    const dayStart = (v: string) => `(${p(v)}::date::timestamp AT TIME ZONE 'UTC')`;
    const dayEnd = (v: string) => `((${p(v)}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
    const { instant, start, end } = q.datetime;
    if (instant !== undefined) {
      if (dayOnly(instant)) w.clauses.push(`${col} >= ${dayStart(instant)} AND ${col} < ${dayEnd(instant)}`);
      else w.clauses.push(type === 'date' ? `${col} = ${p(instant)}::date` : `${col} = ${p(instant)}::timestamptz`);
    }
    if (start !== undefined) w.clauses.push(dayOnly(start) ? `${col} >= ${dayStart(start)}` : `${col} >= ${p(start)}::${type}`);
    if (end !== undefined) w.clauses.push(dayOnly(end) ? `${col} < ${dayEnd(end)}` : `${col} <= ${p(end)}::${type}`);
  }
  for (const f of q.filters) w.clauses.push(`t.${f.column} = ${p(f.value)}::${f.cast}`);
  return w;
}

export interface ItemsSql {
  sql: string;
  params: unknown[];
  /** The rows come newest-id first (a prev page): reverse them. */
  reversed: boolean;
  count: { sql: string; params: unknown[] };
}

export function itemsSql(c: Collection, q: ItemsQuery): ItemsSql {
  const w = where(c, q);
  const countSql = `SELECT count(*)::bigint AS n FROM ${c.sql.table} t${w.clauses.length ? ` WHERE ${w.clauses.join(' AND ')}` : ''}`;
  const count = { sql: countSql, params: [...w.params] };
  const clauses = [...w.clauses];
  const params = [...w.params];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  let order = 'ASC';
  if (q.cursor?.after !== undefined) clauses.push(`t.${c.sql.id} > ${p(q.cursor.after)}`);
  if (q.cursor?.before !== undefined) {
    clauses.push(`t.${c.sql.id} < ${p(q.cursor.before)}`);
    order = 'DESC';
  }
  // One more row than the page: whether there is a next page, without counting.
  const sql = [
    `SELECT t.${c.sql.id} AS id, ${featureExpression(c, q.crs)} AS f`,
    `FROM ${c.sql.table} t`,
    clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    `ORDER BY t.${c.sql.id} ${order}`,
    `LIMIT ${p(q.limit + 1)}`,
    q.offset !== undefined ? `OFFSET ${p(q.offset)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { sql, params, reversed: order === 'DESC', count };
}

/** One feature by id. */
export function itemSql(c: Collection, crs: OutputCrs, id: string): { sql: string; params: unknown[] } {
  return { sql: `SELECT ${featureExpression(c, crs)} AS f FROM ${c.sql.table} t WHERE t.${c.sql.id} = $1`, params: [id] };
}
