import { isSecretName, REDACTED } from '../config/index.js';
import type { Database } from './database.js';
import type { TableInfo } from './inspection-format.js';
import { quoteIdent, quoteQualified } from './quote.js';
import { capRows, inReadOnlyTransaction } from './read-only-query.js';
import { describeRisks, sampleRisks } from './sample-safety.js';

/**
 * A few rows of a table or view for the consultant to look at, read as safely as the database
 * allows:
 *   - only when reading the relation runs no code a READ ONLY transaction cannot contain
 *     (sample-safety.ts); otherwise no rows, and a note that says why;
 *   - in a READ ONLY transaction that is rolled back, under the least-privilege role when one is
 *     configured, with `search_path` set to pg_catalog and PostGIS functions schema-qualified, so
 *     a function planted in another schema cannot stand in for a built-in one;
 *   - every value cast to text and cut in SQL (the server sends at most `maxCellChars` of a 20 MB
 *     cell), geometries as a point on the surface in WKT;
 *   - columns whose names say they hold secrets (password_hash, api_token, secret_key) are not
 *     read at all: their values show as «redacted».
 */
export interface SampleOptions {
  role?: string | undefined;
  timeoutMs?: number;
  maxCellChars?: number;
  maxBytes?: number;
}

export interface Sample {
  rows: Array<Record<string, unknown>>;
  /** What was left out or cut, in words; empty when the rows are complete. */
  notes: string[];
  /** True when no rows were read because reading would run unsafe code. */
  refused: boolean;
}

export async function sampleRows(db: Database, table: TableInfo, count: number, options: SampleOptions = {}): Promise<Sample> {
  const n = Math.max(0, Math.min(Math.floor(count), 100));
  if (n === 0) return { rows: [], notes: [], refused: false };
  const maxCell = options.maxCellChars ?? 1_000;
  const relation = `${table.schema}.${table.name}`;
  return inReadOnlyTransaction(db, options, async (tx) => {
    const risk = describeRisks(relation, await sampleRisks(tx, table.schema, table.name));
    if (risk) return { rows: [], notes: [`no sample rows: ${risk}`], refused: true };
    const postgis =
      (await tx.query<{ schema: string | null }>(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'postgis'`)).rows[0]
        ?.schema ?? null;
    await tx.exec('SET LOCAL search_path = pg_catalog, pg_temp');
    const geometry = new Set(table.geometryColumns.map((g) => g.column));
    const secret = table.columns.filter((c) => isSecretName(c.name)).map((c) => c.name);
    const cols = table.columns.map((c) => {
      const q = quoteIdent(c.name);
      if (secret.includes(c.name)) return `NULL::text AS ${q}`;
      if (geometry.has(c.name) && postgis) {
        const p = postgis.startsWith('"') ? postgis : quoteIdent(postgis);
        return `left(${p}.ST_AsText(${p}.ST_PointOnSurface(${q}::${p}.geometry)), ${maxCell + 1}) AS ${q}`;
      }
      return `left(${q}::text, ${maxCell + 1}) AS ${q}`;
    });
    const sql = `SELECT ${cols.join(', ') || '1 AS "(no columns)"'} FROM ${quoteQualified(table.name, table.schema)} LIMIT $1`;
    const result = await tx.query<Record<string, unknown>>(sql, [n]);
    let cut = 0;
    for (const row of result.rows) {
      for (const c of secret) row[c] = REDACTED;
      for (const [k, v] of Object.entries(row)) {
        if (typeof v === 'string' && v.length > maxCell) {
          row[k] = `${v.slice(0, maxCell)}… (cut)`;
          cut++;
        }
      }
    }
    const capped = capRows(result.rows, { maxRows: n, maxCellChars: maxCell + 10, maxBytes: options.maxBytes ?? 64 * 1024 });
    const notes = [...capped.notes];
    if (cut > 0) notes.push(`${cut} value${cut === 1 ? ' was' : 's were'} longer than ${maxCell} characters and cut`);
    if (secret.length > 0) notes.push(`not read: ${secret.join(', ')} (the names say they hold secrets)`);
    return { rows: capped.rows, notes, refused: false };
  });
}
