import { canonicalEnvironment } from '../config/index.js';
import { type Database, quoteIdent, type Queryable } from '../db/index.js';
import { HonuaError } from '../errors/index.js';
import { type DeploymentRecord, DeploymentRecordSchema } from './deployment-record.js';
import { emptyEnvironmentState, type EnvironmentState, EnvironmentStateSchema } from './environment-state.js';
import { busyError, leaseLost, staleRevision } from './file-store.js';
import { type LockOwner, ownerIsGone } from './lock-owner.js';
import { type Snapshot, SnapshotSchema } from './snapshot.js';
import type { AcquireOptions, Lease, StateStore, Versioned } from './state-store.js';

/**
 * The PostgreSQL state store (`stateStore: {type: postgres, url | dataSource, schema}`), for
 * several server replicas sharing one state: its own schema (default `honua_state`) with leases,
 * deployments, environments and snapshots. Every write runs in a transaction that first takes a
 * share lock on the environment's lease row and checks the writer's token, so a takeover (which
 * locks the row for update) and a stale writer cannot interleave: the stale one is refused.
 */
interface LeaseRow {
  host: string | null;
  pid: number | null;
  label: string | null;
  token: number;
  expires_at: Date;
  released: boolean;
}

/** The channel saveEnvironment notifies on. */
export const STATE_CHANNEL = 'honua_state';

export class PostgresStateStore implements StateStore {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly schema: string;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    options: { schema?: string; ownsDatabase?: boolean } = {},
  ) {
    this.schema = quoteIdent(options.schema ?? 'honua_state');
    this.description = `PostgreSQL store ${db.description} (schema ${options.schema ?? 'honua_state'})`;
    this.ownsDatabase = options.ownsDatabase ?? false;
  }

  private readonly ownsDatabase: boolean;

  private t(table: string): string {
    return `${this.schema}.${quoteIdent(table)}`;
  }

  /** Creates the schema once, serialized by an advisory lock (two first runs at once would collide). */
  private init(): Promise<void> {
    this.ready ??= this.db
      .transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('honua state store schema'))");
        await tx.exec(`
          CREATE SCHEMA IF NOT EXISTS ${this.schema};
          CREATE TABLE IF NOT EXISTS ${this.t('leases')} (
            environment text PRIMARY KEY, host text, pid integer, label text,
            token bigint NOT NULL, expires_at timestamptz NOT NULL, released boolean NOT NULL DEFAULT true);
          CREATE TABLE IF NOT EXISTS ${this.t('deployments')} (
            id text PRIMARY KEY, environment text NOT NULL, created_at timestamptz NOT NULL,
            revision integer NOT NULL, record jsonb NOT NULL);
          CREATE INDEX IF NOT EXISTS deployments_by_environment ON ${this.t('deployments')} (environment, created_at DESC);
          CREATE TABLE IF NOT EXISTS ${this.t('environments')} (
            environment text PRIMARY KEY, revision integer NOT NULL, state jsonb NOT NULL);
          CREATE TABLE IF NOT EXISTS ${this.t('snapshots')} (
            environment text NOT NULL, id text NOT NULL, snapshot jsonb NOT NULL, PRIMARY KEY (environment, id));
        `);
      })
      .catch((error: unknown) => {
        this.ready = undefined;
        throw new HonuaError('state-store-failed', `cannot prepare the state store in ${this.db.description}: ${(error as Error).message}`, { cause: error });
      });
    return this.ready;
  }

  // ---------------------------------------------------------------------------------------------
  // Leases

  async acquire(environment: string, owner: LockOwner, options: AcquireOptions): Promise<Lease> {
    await this.init();
    const env = canonicalEnvironment(environment);
    const now = options.now ?? (() => new Date());
    const deadline = Date.now() + (options.waitMs ?? 0);
    await this.db.query(`INSERT INTO ${this.t('leases')} (environment, token, expires_at, released) VALUES ($1, 0, 'epoch', true) ON CONFLICT DO NOTHING`, [
      env,
    ]);
    for (;;) {
      const got: { token: number; expiresAt: Date } | { busy: { owner: LockOwner; expiresAt: string } } = await this.db.transaction(async (tx) => {
        const row = (
          await tx.query<LeaseRow>(`SELECT host, pid, label, token, expires_at, released FROM ${this.t('leases')} WHERE environment = $1 FOR UPDATE`, [env])
        ).rows[0] as LeaseRow;
        const holder: LockOwner | undefined = row.host !== null && row.pid !== null ? { host: row.host, pid: row.pid, label: row.label ?? '' } : undefined;
        const free =
          row.released || new Date(row.expires_at) <= now() || !holder || ownerIsGone(holder) || (holder.host === owner.host && holder.pid === owner.pid);
        if (!free) return { busy: { owner: holder as LockOwner, expiresAt: new Date(row.expires_at).toISOString() } };
        // The token grows with every acquisition: writes carrying an older one are refused.
        const expiresAt = new Date(now().getTime() + options.ttlMs);
        const token = Number(row.token) + 1;
        await tx.query(`UPDATE ${this.t('leases')} SET host = $2, pid = $3, label = $4, token = $5, expires_at = $6, released = false WHERE environment = $1`, [
          env,
          owner.host,
          owner.pid,
          owner.label,
          token,
          expiresAt,
        ]);
        return { token, expiresAt };
      });
      if ('token' in got) return this.lease(env, owner, got.token, got.expiresAt, options.ttlMs, now);
      // Not yet the time to give up: wait for the holder.
      if (Date.now() >= deadline) throw busyError(env, got.busy.owner, got.busy.expiresAt);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private lease(environment: string, owner: LockOwner, token: number, expires: Date, ttlMs: number, now: () => Date): Lease {
    let expiresAt = expires;
    return {
      environment,
      owner,
      token,
      get expiresAt() {
        return expiresAt;
      },
      renew: async () => {
        const next = new Date(now().getTime() + ttlMs);
        const r = await this.db.query(`UPDATE ${this.t('leases')} SET expires_at = $3 WHERE environment = $1 AND token = $2 AND NOT released`, [
          environment,
          token,
          next,
        ]);
        if (r.rowCount === 0) throw leaseLost(environment, token, undefined);
        expiresAt = next;
      },
      release: async () => {
        await this.db
          .query(`UPDATE ${this.t('leases')} SET released = true WHERE environment = $1 AND token = $2`, [environment, token])
          .catch(() => undefined);
      },
    };
  }

  async holder(environment: string): Promise<{ owner: LockOwner; expiresAt: string } | undefined> {
    await this.init();
    const row = (
      await this.db.query<LeaseRow>(`SELECT host, pid, label, token, expires_at, released FROM ${this.t('leases')} WHERE environment = $1`, [
        canonicalEnvironment(environment),
      ])
    ).rows[0];
    if (!row || row.released || new Date(row.expires_at) <= new Date() || row.host === null || row.pid === null) return undefined;
    const owner = { host: row.host, pid: row.pid, label: row.label ?? '' };
    return ownerIsGone(owner) ? undefined : { owner, expiresAt: new Date(row.expires_at).toISOString() };
  }

  /** A write in a transaction that holds the lease row in share mode and finds the writer's token on it. */
  private async fenced<T>(lease: Lease, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    await this.init();
    return this.db.transaction(async (tx) => {
      const row = (
        await tx.query<LeaseRow>(`SELECT host, pid, label, token, released FROM ${this.t('leases')} WHERE environment = $1 FOR SHARE`, [lease.environment])
      ).rows[0];
      if (!row || Number(row.token) !== lease.token || row.released) {
        throw leaseLost(
          lease.environment,
          lease.token,
          row && row.host !== null && row.pid !== null
            ? { token: Number(row.token), owner: { host: row.host, pid: row.pid, label: row.label ?? '' }, released: row.released }
            : undefined,
        );
      }
      return fn(tx);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments

  async getDeployment(id: string): Promise<Versioned<DeploymentRecord> | undefined> {
    await this.init();
    const row = (await this.db.query<{ revision: number; record: unknown }>(`SELECT revision, record FROM ${this.t('deployments')} WHERE id = $1`, [id]))
      .rows[0];
    return row ? { revision: row.revision, value: DeploymentRecordSchema.parse(row.record) } : undefined;
  }

  async listDeployments(environment: string, limit = 50): Promise<DeploymentRecord[]> {
    await this.init();
    const rows = (
      await this.db.query<{ record: unknown }>(
        `SELECT record FROM ${this.t('deployments')} WHERE environment = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [canonicalEnvironment(environment), limit],
      )
    ).rows;
    return rows.map((r) => DeploymentRecordSchema.parse(r.record));
  }

  async saveDeployment(lease: Lease, record: DeploymentRecord, expected: number): Promise<number> {
    if (canonicalEnvironment(record.environment) !== lease.environment)
      throw new HonuaError('internal-error', `a ${lease.environment} lease cannot write a ${record.environment} deployment`);
    return this.fenced(lease, async (tx) => {
      if (expected === 0) {
        const r = await tx.query(
          `INSERT INTO ${this.t('deployments')} (id, environment, created_at, revision, record) VALUES ($1, $2, $3, 1, $4) ON CONFLICT DO NOTHING`,
          [record.id, lease.environment, record.createdAt, JSON.stringify(record)],
        );
        if (r.rowCount === 0) throw staleRevision(`deployment ${record.id}`, 0, await this.revisionOf(tx, 'deployments', 'id', record.id));
        return 1;
      }
      const r = await tx.query<{ revision: number }>(
        `UPDATE ${this.t('deployments')} SET revision = revision + 1, record = $3 WHERE id = $1 AND revision = $2 RETURNING revision`,
        [record.id, expected, JSON.stringify(record)],
      );
      if (r.rowCount === 0) throw staleRevision(`deployment ${record.id}`, expected, await this.revisionOf(tx, 'deployments', 'id', record.id));
      return (r.rows[0] as { revision: number }).revision;
    });
  }

  private async revisionOf(tx: Queryable, table: string, key: string, value: string): Promise<number> {
    const r = await tx.query<{ revision: number }>(`SELECT revision FROM ${this.t(table)} WHERE ${quoteIdent(key)} = $1`, [value]);
    return r.rows[0]?.revision ?? 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Environments and snapshots

  async getEnvironment(environment: string): Promise<Versioned<EnvironmentState>> {
    await this.init();
    const env = canonicalEnvironment(environment);
    const row = (
      await this.db.query<{ revision: number; state: unknown }>(`SELECT revision, state FROM ${this.t('environments')} WHERE environment = $1`, [env])
    ).rows[0];
    return row ? { revision: row.revision, value: EnvironmentStateSchema.parse(row.state) } : { revision: 0, value: emptyEnvironmentState(env) };
  }

  async saveEnvironment(lease: Lease, state: EnvironmentState, expected: number): Promise<number> {
    return this.fenced(lease, async (tx) => {
      const r =
        expected === 0
          ? await tx.query(
              `INSERT INTO ${this.t('environments')} (environment, revision, state) VALUES ($1, 1, $2) ON CONFLICT DO NOTHING RETURNING revision`,
              [lease.environment, JSON.stringify(state)],
            )
          : await tx.query(
              `UPDATE ${this.t('environments')} SET revision = revision + 1, state = $3 WHERE environment = $1 AND revision = $2 RETURNING revision`,
              [lease.environment, expected, JSON.stringify(state)],
            );
      if (r.rowCount === 0)
        throw staleRevision(
          `the ${lease.environment} environment state`,
          expected,
          await this.revisionOf(tx, 'environments', 'environment', lease.environment),
        );
      // Servers watching this environment reload (delivered at commit, not before).
      await tx.query('SELECT pg_notify($1, $2)', [STATE_CHANNEL, lease.environment]);
      return Number((r.rows[0] as { revision: number }).revision);
    });
  }

  /** LISTEN honua_state: every saveEnvironment notifies with the environment's name. */
  async watch(environment: string, onChange: () => void): Promise<() => Promise<void>> {
    if (!this.db.listen) return async () => undefined;
    const env = canonicalEnvironment(environment);
    return this.db.listen(STATE_CHANNEL, (payload) => {
      if (payload === env) onChange();
    });
  }

  async environments(): Promise<string[]> {
    await this.init();
    const rows = (
      await this.db.query<{ environment: string }>(
        `SELECT environment FROM ${this.t('environments')} UNION SELECT DISTINCT environment FROM ${this.t('deployments')} ORDER BY 1`,
      )
    ).rows;
    return rows.map((r) => r.environment);
  }

  async getSnapshot(environment: string, id: string): Promise<Snapshot | undefined> {
    await this.init();
    const row = (
      await this.db.query<{ snapshot: unknown }>(`SELECT snapshot FROM ${this.t('snapshots')} WHERE environment = $1 AND id = $2`, [
        canonicalEnvironment(environment),
        id,
      ])
    ).rows[0];
    return row ? SnapshotSchema.parse(row.snapshot) : undefined;
  }

  async saveSnapshot(lease: Lease, snapshot: Snapshot): Promise<void> {
    await this.fenced(lease, (tx) =>
      tx.query(`INSERT INTO ${this.t('snapshots')} (environment, id, snapshot) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        lease.environment,
        snapshot.id,
        JSON.stringify(snapshot),
      ]),
    );
  }

  async close(): Promise<void> {
    if (this.ownsDatabase) await this.db.close();
  }
}
