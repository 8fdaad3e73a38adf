import type { Collection, OutputCrs } from '../registry.js';
import { invalidParameter } from './ogc-error.js';
import { CRS84 } from './conformance-classes.js';

/**
 * The items request of a collection, checked parameter by parameter. Unknown parameters and
 * invalid values are errors (/req/core/query-param-unknown, /req/core/query-param-invalid); a
 * limit above the collection's maximum is clamped to it (/req/core/fc-limit-response-1).
 */
export interface ItemsQuery {
  limit: number;
  /** In the storage SRID's envelope terms: one or two boxes (two across the antimeridian), each [minx, miny, maxx, maxy] in bboxCrs. */
  bbox?: { boxes: number[][]; crs: OutputCrs };
  crs: OutputCrs;
  datetime?: { start?: string; end?: string; instant?: string };
  filters: Array<{ column: string; value: string; cast: string }>;
  /** Keyset paging: after (next) or before (prev) this id. */
  cursor?: { after?: string | number; before?: string | number };
  offset?: number;
  format: 'json' | 'html';
  /** The parameters as given (without paging), for links that keep every filter. */
  kept: Array<[string, string]>;
}

const CAST: Record<string, string> = {
  integer: 'bigint',
  long: 'bigint',
  double: 'double precision',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  time: 'time',
  uuid: 'uuid',
  string: 'text',
};

const RESERVED = new Set(['limit', 'bbox', 'bbox-crs', 'crs', 'datetime', 'f', 'cursor', 'offset']);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const one = (params: URLSearchParams, name: string): string | undefined => {
  const all = params.getAll(name);
  if (all.length > 1) throw invalidParameter(`${name} is given ${all.length} times`);
  return all[0];
};

export function findCrs(c: Collection, uri: string, parameter: string): OutputCrs {
  const found = c.crs.find((x) => x.uri === uri);
  if (!found) throw invalidParameter(`${parameter} "${uri}" is not a CRS of ${c.id}; it offers ${c.crs.map((x) => x.uri).join(', ')}`);
  return found;
}

function parseInstant(text: string, what: string): string {
  if (DATE.test(text) || DATETIME.test(text)) {
    const at = new Date(text);
    // JavaScript rolls 2026-02-30 over to March 2: the calendar date must survive the round trip.
    const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
    const calendar = new Date(Date.UTC(y, m - 1, d));
    if (Number.isNaN(at.getTime()) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d)
      throw invalidParameter(`${what} "${text}" is not a valid date`);
    return text;
  }
  throw invalidParameter(`${what} "${text}" is not an RFC 3339 date or date-time (2026-01-31, 2026-01-31T12:00:00Z)`);
}

/** `datetime`: an instant, or an interval with `..` for an open end (/req/core/fc-time-definition). */
export function parseDatetime(text: string): NonNullable<ItemsQuery['datetime']> {
  if (!text.includes('/')) return { instant: parseInstant(text, 'datetime') };
  const [a, b, ...rest] = text.split('/');
  if (rest.length > 0 || a === undefined || b === undefined) throw invalidParameter(`datetime "${text}" is not an instant or an interval start/end`);
  const start = a === '..' || a === '' ? undefined : parseInstant(a, 'datetime start');
  const end = b === '..' || b === '' ? undefined : parseInstant(b, 'datetime end');
  if (start === undefined && end === undefined) throw invalidParameter('datetime "../.." bounds nothing');
  if (start && end && new Date(start) > new Date(end)) throw invalidParameter(`datetime "${text}" ends before it starts`);
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

function parseBbox(text: string, crs: OutputCrs): NonNullable<ItemsQuery['bbox']> {
  const parts = text.split(',');
  if ((parts.length !== 4 && parts.length !== 6) || !parts.every((p) => NUMBER.test(p.trim()) && Number.isFinite(Number(p)))) {
    throw invalidParameter(`bbox "${text}" is not 4 or 6 comma-separated numbers (minx,miny,maxx,maxy)`);
  }
  const n = parts.map(Number);
  // Six values carry a height: minx,miny,minz,maxx,maxy,maxz (/req/core/fc-bbox-definition).
  const flat = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  // In a latitude-first CRS the box is written lat,lon.
  const [minx, miny, maxx, maxy] = (crs.latFirst ? [flat[1], flat[0], flat[3], flat[2]] : flat) as [number, number, number, number];
  if (miny > maxy) throw invalidParameter(`bbox "${text}": the lower corner is above the upper one`);
  if (crs.geographic && (miny < -90 || maxy > 90)) throw invalidParameter(`bbox "${text}": latitudes lie between -90 and 90`);
  if (!crs.geographic && minx > maxx) throw invalidParameter(`bbox "${text}": the lower corner is right of the upper one`);
  // A box across the antimeridian (177,65,-177,70) is two boxes (/req/core/fc-bbox-response).
  const boxes =
    crs.geographic && minx > maxx
      ? [
          [minx, miny, 180, maxy],
          [-180, miny, maxx, maxy],
        ]
      : [[minx, miny, maxx, maxy]];
  return { boxes, crs };
}

function parseValue(value: string, field: Collection['fields'][number]): string {
  const bad = () => invalidParameter(`${field.name} "${value}" is not a ${field.type}`);
  switch (field.type) {
    case 'integer':
    case 'long':
      // Within a bigint: a longer number would be a database error, not a 400.
      if (!/^[-+]?\d{1,18}$/.test(value)) throw bad();
      break;
    case 'double':
    case 'float':
    case 'decimal':
      if (!NUMBER.test(value) || !Number.isFinite(Number(value))) throw bad();
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw bad();
      break;
    case 'date':
      if (!DATE.test(value)) throw bad();
      parseInstant(value, field.name);
      break;
    case 'datetime':
      if (!DATETIME.test(value) && !DATE.test(value)) throw bad();
      parseInstant(value, field.name);
      break;
    case 'time':
      if (!/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/.test(value)) throw bad();
      break;
    case 'uuid':
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw bad();
      break;
    default:
      break;
  }
  return value;
}

export const encodeCursor = (c: { after?: string | number; before?: string | number }): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(text: string, idType: Collection['idType']): NonNullable<ItemsQuery['cursor']> {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { after?: unknown; before?: unknown };
    // bigint ids come back from PostgreSQL as digit strings: they stay strings, exact.
    const ok = (v: unknown) =>
      v === undefined || (idType === 'integer' ? Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) : typeof v === 'string');
    if (typeof c === 'object' && c !== null && ok(c.after) && ok(c.before) && (c.after === undefined) !== (c.before === undefined)) {
      return c as NonNullable<ItemsQuery['cursor']>;
    }
  } catch {
    // fall through
  }
  throw invalidParameter('cursor is not a cursor this server gave (follow the next and prev links)');
}

export function parseItemsQuery(c: Collection, params: URLSearchParams, acceptsHtml: boolean): ItemsQuery {
  const fields = new Map(c.fields.map((f) => [f.name, f]));
  for (const [name, value] of params) if (value.includes('\u0000')) throw invalidParameter(`${name} contains a NUL character`);
  for (const name of new Set(params.keys())) {
    if (!RESERVED.has(name) && !fields.has(name)) {
      throw invalidParameter(
        `unknown parameter "${name}"; ${c.id} takes limit, bbox, bbox-crs, crs, datetime, f, and its properties: ${[...fields.keys()].join(', ')}`,
      );
    }
  }
  const limitText = one(params, 'limit');
  let limit = c.defaultLimit;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) throw invalidParameter(`limit "${limitText}" is not a whole number of at least 1`);
    limit = Math.min(Number(limitText), c.itemLimit);
  }
  const crsText = one(params, 'crs');
  const crs = crsText === undefined ? (c.crs[0] as OutputCrs) : findCrs(c, crsText, 'crs');
  const bboxCrsText = one(params, 'bbox-crs');
  const bboxText = one(params, 'bbox');
  if (bboxCrsText !== undefined && bboxText === undefined) throw invalidParameter('bbox-crs is given without a bbox');
  const bboxCrs = bboxCrsText === undefined ? (c.crs.find((x) => x.uri === CRS84) as OutputCrs) : findCrs(c, bboxCrsText, 'bbox-crs');
  const datetimeText = one(params, 'datetime');
  const f = one(params, 'f');
  if (f !== undefined && f !== 'json' && f !== 'geojson' && f !== 'html') throw invalidParameter(`f "${f}" is not json or html`);
  const cursorText = one(params, 'cursor');
  const offsetText = one(params, 'offset');
  if (offsetText !== undefined && !/^\d{1,15}$/.test(offsetText)) throw invalidParameter(`offset "${offsetText}" is not a whole number below 10^15`);
  if (cursorText !== undefined && offsetText !== undefined) throw invalidParameter('give cursor or offset, not both');
  const filters: ItemsQuery['filters'] = [];
  const kept: Array<[string, string]> = [];
  for (const [name, value] of params) {
    if (name === 'cursor' || name === 'offset' || name === 'f') continue;
    kept.push([name, value]);
    const field = fields.get(name);
    if (field) {
      if (params.getAll(name).length > 1) throw invalidParameter(`${name} is given more than once`);
      filters.push({ column: field.column, value: parseValue(value, field), cast: CAST[field.type] ?? 'text' });
    }
  }
  return {
    limit,
    crs,
    ...(bboxText !== undefined ? { bbox: parseBbox(bboxText, bboxCrs) } : {}),
    ...(datetimeText !== undefined ? { datetime: parseDatetime(datetimeText) } : {}),
    filters,
    ...(cursorText !== undefined ? { cursor: decodeCursor(cursorText, c.idType) } : {}),
    ...(offsetText !== undefined ? { offset: Number(offsetText) } : {}),
    format: f === 'html' || (f === undefined && acceptsHtml) ? 'html' : 'json',
    kept,
  };
}
