import type { Database, Queryable, QueryResult } from './database.js';
import { inReadOnlyTransaction } from './read-only-query.js';

/**
 * A database as the consultant may use it: every statement — catalog queries of an inspection
 * as much as sample rows — runs in a READ ONLY transaction that is rolled back, with bounded
 * timeouts, under the least-privilege role when one is configured. Closing it closes the
 * database underneath.
 */
export function readOnlyDatabase(db: Database, options: { role?: string | undefined; timeoutMs?: number } = {}): Database {
  const run = <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => inReadOnlyTransaction(db, options, fn);
  return {
    kind: db.kind,
    description: db.description,
    query: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> => run((tx) => tx.query<T>(sql, params)),
    exec: (sql: string) => run((tx) => tx.exec(sql)),
    transaction: run,
    session: run,
    close: () => db.close(),
  };
}
