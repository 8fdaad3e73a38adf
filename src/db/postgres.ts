import pg from 'pg';
import Cursor from 'pg-cursor';
import { HonuaError } from '../errors/index.js';
import { type Database, int8, type Queryable, type QueryResult, redactUrl } from './database.js';

// int8 (OID 20) and numeric (1700) arrive as strings from pg; counts and sizes are more useful as numbers.
pg.types.setTypeParser(20, (v) => int8(v));

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000', '57P03']);

/** Connection failures become a HonuaError that says where and what to check; SQL errors pass through. */
function translate(error: unknown, description: string): unknown {
  const code = (error as { code?: string }).code;
  const tls = /\b(SSL|TLS|certificate)\b/i.test((error as Error).message ?? '') && code === undefined;
  if (!tls && (code === undefined || !CONNECTION_ERRORS.has(code))) return error;
  return new HonuaError('db-connect-failed', `cannot connect to ${description}: ${(error as Error).message}`, {
    fault: 'system',
    cause: error,
    hint: "Check that the server is running and reachable, and the datasource's host, port, database, user and password.",
  });
}

function wrap(client: pg.Pool | pg.PoolClient, description: string): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      try {
        const r = await client.query({ text: sql, values: [...params] });
        return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length, fields: r.fields.map((f) => f.name) };
      } catch (error) {
        throw translate(error, description);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (error) {
        throw translate(error, description);
      }
    },
  };
}

const quoteChannel = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** PostgreSQL through a pg connection pool. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly q: Queryable;

  constructor(config: pg.PoolConfig & { connectionString?: string }, description?: string) {
    this.pool = new pg.Pool(config);
    // An idle client that loses its server (restart, network) must not crash the process.
    this.pool.on('error', () => undefined);
    this.description =
      description ??
      (config.connectionString ? redactUrl(config.connectionString) : `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`);
    this.q = wrap(this.pool, this.description);
  }

  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return this.q.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.q.exec(sql);
  }

  async session<T>(fn: (connection: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    // A checked-out client has no pool 'error' listener: a connection lost now (a restart, a terminated
    // backend) would be an unhandled 'error' event and end the process. It fails the call instead.
    let healthy = true;
    const onError = () => (healthy = false);
    client.on('error', onError);
    try {
      return await fn(wrap(client, this.description));
    } finally {
      client.removeListener('error', onError);
      client.release(!healthy);
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.session(async (c) => {
      await c.exec('BEGIN');
      try {
        const result = await fn(c);
        await c.exec('COMMIT');
        return result;
      } catch (error) {
        await c.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** A server-side cursor read `batchSize` rows at a time; a reader that stops early closes it, and the connection is reused. */
  async *stream<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: { batchSize?: number } = {}): AsyncIterable<T[]> {
    const client = await this.connect();
    let healthy = true;
    const onError = () => (healthy = false);
    client.on('error', onError);
    const cursor = client.query(new Cursor<T>(sql, [...params]));
    const size = options.batchSize ?? 500;
    try {
      for (;;) {
        const rows = await cursor.read(size);
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < size) break;
      }
    } catch (error) {
      healthy = false;
      throw translate(error, this.description);
    } finally {
      // Closing the portal (Close + Sync) leaves the connection clean; one that fails to close is not reused.
      if (healthy) await cursor.close().catch(() => (healthy = false));
      client.removeListener('error', onError);
      client.release(!healthy);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void, onError?: (error: Error) => void): Promise<() => Promise<void>> {
    const client = await this.connect();
    const onNotification = (m: pg.Notification) => {
      if (m.channel === channel) onNotify(m.payload ?? '');
    };
    const onClientError = (error: Error) => onError?.(error);
    client.on('notification', onNotification);
    client.on('error', onClientError);
    try {
      await client.query(`LISTEN ${quoteChannel(channel)}`);
    } catch (error) {
      client.removeListener('notification', onNotification);
      client.release(true);
      throw translate(error, this.description);
    }
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      client.removeListener('notification', onNotification);
      await client.query(`UNLISTEN ${quoteChannel(channel)}`).catch(() => undefined);
      client.removeListener('error', onClientError);
      client.release(true);
    };
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw translate(error, this.description);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
