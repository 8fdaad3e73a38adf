import type { Database, Queryable, QueryResult } from './database.js';
import { quoteIdent } from './quote.js';
import { loadParser, parseStatements, SqlSyntaxError } from './sql/parse.js';
import { UnsafeSqlError } from '../errors/index.js';

/**
 * SQL the consultant runs to look at data is read-only by construction, not by trust:
 *   1. exactly one statement, parsed by PostgreSQL's own parser;
 *   2. it is a plain SELECT (or EXPLAIN of one, without ANALYZE): no SELECT INTO, no row locks
 *      (FOR UPDATE/SHARE), no data-modifying CTEs;
 *   3. it runs in a READ ONLY transaction that is always rolled back, with a statement timeout;
 *   4. values are bound as parameters, never spliced into the text.
 * The server enforces 3 even if 1–2 missed something (a volatile function that writes fails
 * with "cannot execute ... in a read-only transaction"). What READ ONLY cannot stop — a function
 * that writes through another connection (dblink) or reads server files — is kept out by
 * checking what a relation runs before sampling it (sample-safety.ts) and by the least-privilege
 * role the queries can run under.
 */
export interface ReadOnlyQueryOptions {
  timeoutMs?: number;
  /** Rows kept (the rest are never sent by the server; `truncated` is set). */
  maxRows?: number;
  /** Longer string values are cut (default 10,000 characters). */
  maxCellChars?: number;
  /** Rows stop once the result is this large, as JSON (default 1 MiB). */
  maxBytes?: number;
  /** Run as this role (SET LOCAL ROLE): the consultant's least-privilege role, when configured. */
  role?: string | undefined;
}

export { UnsafeSqlError };

const DML_IN_TREE = /"(?:InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/;

/** Throws UnsafeSqlError unless `sql` is one read-only SELECT; returns its statement type (SelectStmt or ExplainStmt). */
export async function assertReadOnlySql(sql: string): Promise<'SelectStmt' | 'ExplainStmt'> {
  await loadParser();
  return checkReadOnlySql(sql);
}

/** assertReadOnlySql once the parser is loaded (loadParser()). */
export function checkReadOnlySql(sql: string): 'SelectStmt' | 'ExplainStmt' {
  let statements;
  try {
    statements = parseStatements(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) throw new UnsafeSqlError(`the query does not parse: ${error.message}`, 'Fix the SQL syntax.');
    throw error;
  }
  if (statements.length !== 1) throw new UnsafeSqlError(`expected exactly one statement, got ${statements.length}`);
  const [stmt] = statements as [(typeof statements)[0]];
  let node = stmt.node;
  let type = stmt.type;
  const outer = type === 'ExplainStmt' ? 'ExplainStmt' : 'SelectStmt';
  if (type === 'ExplainStmt') {
    const options = JSON.stringify(node.options ?? []);
    if (/"analy[sz]e"/i.test(options)) throw new UnsafeSqlError('EXPLAIN ANALYZE executes the query; use plain EXPLAIN');
    const query = (node.query ?? {}) as Record<string, unknown>;
    type = Object.keys(query)[0] ?? 'Unknown';
    node = (query[type] ?? {}) as Record<string, unknown>;
  }
  if (type !== 'SelectStmt') throw new UnsafeSqlError(`${type.replace(/Stmt$/, '')} statements are not allowed; only SELECT reads data`);
  if (node.intoClause !== undefined) throw new UnsafeSqlError('SELECT INTO creates a table; it is not allowed');
  const tree = JSON.stringify(node);
  if (/"lockingClause"/.test(tree)) throw new UnsafeSqlError('row locks (FOR UPDATE/SHARE) are not allowed');
  if (DML_IN_TREE.test(tree)) throw new UnsafeSqlError('data-modifying statements inside a query are not allowed');
  return outer;
}

/**
 * The session settings every consultant query runs under: a READ ONLY transaction, bounded
 * statement and lock timeouts, and — when one is configured — a least-privilege role
 * (`SET LOCAL ROLE`), so the database itself refuses what the checks above might miss.
 */
export function readOnlySettings(options: { timeoutMs?: number; role?: string | undefined } = {}): string {
  const timeout = Math.max(1, Math.floor(options.timeoutMs ?? 5_000));
  const role = options.role ? `; SET LOCAL ROLE ${quoteIdent(options.role)}` : '';
  return `SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${timeout}; SET LOCAL lock_timeout = ${timeout}${role}`;
}

/** Runs `fn` in a READ ONLY transaction (with the settings above) that is always rolled back. */
export async function inReadOnlyTransaction<T>(
  db: Database,
  options: { timeoutMs?: number; role?: string | undefined },
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const rollback = new Error('read-only: roll back');
  let result: { value: T } | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(readOnlySettings(options));
      result = { value: await fn(tx) };
      throw rollback; // never commit, even though nothing could have been written
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return (result as { value: T }).value;
}

const cut = (text: string, max: number): string => `${text.slice(0, max)}… (${text.length - max} more characters)`;

/** Rows as a model may see them: at most `maxRows`, long strings cut, stopped at `maxBytes` of JSON; notes say what was cut. */
export function capRows<T>(
  all: readonly T[],
  options: { maxRows: number; maxCellChars?: number | undefined; maxBytes?: number | undefined },
): { rows: T[]; truncated: boolean; notes: string[] } {
  const maxCell = options.maxCellChars ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const notes: string[] = [];
  let truncated = all.length > options.maxRows;
  let cells = 0;
  let bytes = 0;
  const rows: T[] = [];
  for (const row of all.slice(0, options.maxRows)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      if (typeof v === 'string' && v.length > maxCell) {
        out[k] = cut(v, maxCell);
        cells++;
      } else out[k] = v;
    }
    bytes += Buffer.byteLength(JSON.stringify(out));
    if (bytes > maxBytes && rows.length > 0) {
      truncated = true;
      notes.push(`stopped after ${rows.length} rows: the result passed ${Math.round(maxBytes / 1024)} KiB`);
      break;
    }
    rows.push(out as T);
  }
  if (all.length > options.maxRows) notes.push(`more than ${options.maxRows} rows; only the first ${options.maxRows} are shown`);
  if (cells > 0) notes.push(`${cells} value${cells === 1 ? ' was' : 's were'} longer than ${maxCell} characters and cut`);
  return { rows, truncated, notes };
}

/**
 * Runs one read-only SELECT with bound parameters, in a READ ONLY transaction that is rolled
 * back. The row limit is pushed into the SQL (the server never sends more than `maxRows` + 1
 * rows), long values are cut to `maxCellChars`, and rows stop once the result passes
 * `maxBytes`; `truncated` and `notes` say what was cut.
 */
export async function readOnlyQuery<T = Record<string, unknown>>(
  db: Database,
  sql: string,
  params: readonly unknown[] = [],
  options: ReadOnlyQueryOptions = {},
): Promise<QueryResult<T> & { truncated: boolean; notes: string[] }> {
  const type = await assertReadOnlySql(sql);
  const max = Math.max(0, Math.floor(options.maxRows ?? 1_000));
  // EXPLAIN's output is small and cannot be wrapped; a SELECT is limited where it runs.
  const statement = parseStatements(sql)[0]?.sql ?? sql;
  const limited = type === 'SelectStmt' ? `SELECT * FROM (${statement}\n) AS honua_read_only LIMIT ${max + 1}` : sql;
  const r = await inReadOnlyTransaction(db, options, (tx) => tx.query<T>(limited, params));
  const { rows, truncated, notes } = capRows(r.rows, { maxRows: max, maxCellChars: options.maxCellChars, maxBytes: options.maxBytes });
  return { ...r, rows, rowCount: rows.length, truncated, notes };
}
