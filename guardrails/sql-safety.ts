import type { Database, QueryResult } from '../src/db/database.js';
import { loadParser, parseStatements, SqlSyntaxError } from '../src/db/sql/parse.js';
import { HonuaError } from '../src/errors/index.js';

/**
 * SQL the consultant runs to look at data is read-only by construction, not by trust:
 *   1. exactly one statement, parsed by PostgreSQL's own parser;
 *   2. it is a plain SELECT (or EXPLAIN of one, without ANALYZE): no SELECT INTO, no row locks
 *      (FOR UPDATE/SHARE), no data-modifying CTEs;
 *   3. it runs in a READ ONLY transaction that is always rolled back, with a statement timeout;
 *   4. values are bound as parameters, never spliced into the text.
 * The server enforces 3 even if 1–2 missed something (a volatile function that writes fails
 * with "cannot execute ... in a read-only transaction").
 */
export interface ReadOnlyQueryOptions {
  timeoutMs?: number;
  /** Rows kept (the rest are dropped and `truncated` is set). */
  maxRows?: number;
}

export class UnsafeSqlError extends HonuaError {
  constructor(message: string, hint?: string) {
    super('unsafe-sql', message, { hint: hint ?? 'Only a single SELECT (or EXPLAIN of one) runs here.', fault: 'model' });
  }
}

const DML_IN_TREE = /"(?:InsertStmt|UpdateStmt|DeleteStmt|MergeStmt)"/;

/** Throws UnsafeSqlError unless `sql` is one read-only SELECT. */
export async function assertReadOnlySql(sql: string): Promise<void> {
  await loadParser();
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
}

/** Runs one read-only SELECT with bound parameters, in a READ ONLY transaction that is rolled back. */
export async function readOnlyQuery<T = Record<string, unknown>>(
  db: Database,
  sql: string,
  params: readonly unknown[] = [],
  options: ReadOnlyQueryOptions = {},
): Promise<QueryResult<T> & { truncated: boolean }> {
  await assertReadOnlySql(sql);
  const timeout = Math.max(1, Math.floor(options.timeoutMs ?? 5_000));
  const rollback = new Error('read-only query: roll back');
  let result: QueryResult<T> | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(`SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${timeout}; SET LOCAL lock_timeout = ${timeout}`);
      result = await tx.query<T>(sql, params);
      throw rollback; // never commit, even though nothing could have been written
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  const r = result as QueryResult<T>;
  const max = options.maxRows ?? 1_000;
  return { ...r, rows: r.rows.slice(0, max), truncated: r.rows.length > max };
}
