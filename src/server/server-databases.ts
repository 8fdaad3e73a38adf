import path from 'node:path';
import type { DataSource } from '../config/index.js';
import { connectDataSource, connectUrl, type Database } from '../db/index.js';

/**
 * The server's connection pools, one per datasource as configured: a reload that keeps a
 * datasource unchanged keeps its pool (its key is the datasource's configuration); one that
 * changes or drops it gets a new pool, and the old one is closed once no request uses it.
 * `--database-url` serves every layer from one database.
 */
/** No query of the server runs longer than this unless the datasource says otherwise (a filter on an unindexed column of a huge table). */
export const SERVE_STATEMENT_TIMEOUT_MS = 30_000;

export class ServerDatabases {
  private readonly pools = new Map<string, Promise<Database>>();
  /** Pools this object did not open (an embedded database the runtime holds): never closed here. */
  private readonly borrowed = new Set<string>();

  constructor(
    private readonly options: {
      env: NodeJS.ProcessEnv;
      home: string;
      databaseUrl?: string | undefined;
      /** An embedded database has one connection per process: the runtime's, borrowed. */
      embedded?: (ds: DataSource) => Promise<Database>;
      log?: (line: string) => void;
    },
  ) {}

  key(ds: DataSource | undefined): string {
    if (this.options.databaseUrl !== undefined) return 'url';
    const { origin: _origin, ...config } = (ds ?? {}) as DataSource & { origin?: unknown };
    return JSON.stringify(config);
  }

  get(ds: DataSource | undefined): Promise<Database> {
    const key = this.key(ds);
    if (this.options.databaseUrl === undefined && ds?.type === 'embedded' && this.options.embedded) {
      const embedded = this.options.embedded;
      this.borrowed.add(key);
      return this.pool(key, () => embedded(ds));
    }
    // The datasource's own statementTimeout wins; without one, no request runs longer than SERVE_STATEMENT_TIMEOUT_MS.
    return this.pool(key, () => this.connect(ds, 16, ds?.statementTimeoutMs ?? SERVE_STATEMENT_TIMEOUT_MS));
  }

  /**
   * The pool numberMatched counts run on: its connections carry the layer's count budget as their
   * statement timeout, so a count is one round trip (no transaction to SET LOCAL it), and one that
   * takes longer is cancelled by the server. The embedded database has one connection: none (its
   * counts run in a transaction).
   */
  countKey(ds: DataSource | undefined, budgetMs: number): string {
    return `count|${Math.max(1, Math.round(budgetMs))}|${this.key(ds)}`;
  }

  counter(ds: DataSource | undefined, budgetMs: number): Promise<Database | undefined> {
    if (this.options.databaseUrl === undefined && ds?.type === 'embedded') return Promise.resolve(undefined);
    return this.pool(this.countKey(ds, budgetMs), () => this.connect(ds, 4, Math.max(1, Math.round(budgetMs))));
  }

  /** The pool of a key, opened once; a pool that fails to open is forgotten, so the next request tries again. */
  private pool(key: string, open: () => Promise<Database>): Promise<Database> {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = open();
      pool.catch(() => this.pools.delete(key));
      this.pools.set(key, pool);
    }
    return pool;
  }

  private connect(ds: DataSource | undefined, maxConnections: number, statementTimeoutMs: number): Promise<Database> {
    if (this.options.databaseUrl !== undefined) return Promise.resolve(connectUrl(this.options.databaseUrl, { maxConnections, statementTimeoutMs }));
    return connectDataSource(ds as DataSource, {
      env: this.options.env,
      maxConnections,
      statementTimeoutMs,
      embeddedRoot: path.join(this.options.home, 'embedded'),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
  }

  /** Closes the pools whose keys are not in `keep`. */
  async retain(keep: ReadonlySet<string>): Promise<void> {
    for (const [key, pool] of [...this.pools]) {
      if (keep.has(key)) continue;
      this.pools.delete(key);
      if (this.borrowed.delete(key)) continue;
      await (await pool.catch(() => undefined))?.close().catch(() => undefined);
    }
  }

  async all(): Promise<Database[]> {
    const out: Database[] = [];
    for (const p of this.pools.values()) {
      const db = await p.catch(() => undefined);
      if (db) out.push(db);
    }
    return out;
  }

  async closeAll(): Promise<void> {
    await this.retain(new Set());
  }
}
