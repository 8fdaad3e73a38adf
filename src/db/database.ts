import { redactSecretText } from '../config/index.js';

/**
 * A database Honua talks to: PostgreSQL with PostGIS through a connection pool, or the embedded
 * PGlite + PostGIS (one connection at a time). Both give the same shape of results: rows as
 * plain objects, 64-bit integers as numbers when they fit (strings otherwise).
 */
export interface QueryResult<T = Record<string, unknown>> {
  rows: T[];
  rowCount: number;
  fields: string[];
}

export interface Queryable {
  /** One statement, parameters bound ($1, $2, ...). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Several statements separated by semicolons, no parameters (the simple query protocol). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** Where it is, for messages: a URL without its password, or the embedded data directory. */
  readonly description: string;
  /** Runs `fn` in a transaction on one connection: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on a connection of its own for as long as it runs, for session state such as
   * advisory locks. The embedded database has a single connection: this is that connection.
   */
  session<T>(fn: (connection: Queryable) => Promise<T>): Promise<T>;
  /**
   * Rows in batches as the server sends them (a cursor on a connection of its own), for
   * responses written while they stream.
   */
  stream?<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: { batchSize?: number }): AsyncIterable<T[]>;
  /**
   * LISTEN on a channel, on a connection of its own, until the returned function is called
   * (PostgreSQL only). `onNotify` gets each payload; `onError` is told when the connection is lost.
   */
  listen?(channel: string, onNotify: (payload: string) => void, onError?: (error: Error) => void): Promise<() => Promise<void>>;
  /** The pool's connections, for metrics. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** A query's rows in batches as they come: a cursor where the database has one, else all at once (the embedded database). */
export async function* streamBatches<T = Record<string, unknown>>(
  db: Database,
  sql: string,
  params: readonly unknown[] = [],
  options: { batchSize?: number } = {},
): AsyncIterable<T[]> {
  if (db.stream) {
    yield* db.stream<T>(sql, params, options);
    return;
  }
  const rows = (await db.query<T>(sql, params)).rows;
  if (rows.length > 0) yield rows;
}

/** 64-bit integers (counts, sizes) as numbers when exact, else as strings. */
export function int8(value: unknown): unknown {
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}

/** A connection URL or keyword conninfo with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return redactSecretText(url);
}
