import { Counter, Gauge, Histogram, Registry as PromRegistry } from 'prom-client';
import type { Database } from '../db/index.js';
import type { DeploymentRecord, EnvironmentStatus } from '../deploy/index.js';

/**
 * The server's Prometheus metrics, in a registry of its own per app (two apps in one process —
 * tests, the verifier's candidate app — never share counters). HTTP metrics are counted as
 * requests end; deployment figures are read from the state store when scraped (the store is the
 * truth, and another process may have deployed), at most every few seconds.
 */
export interface DeploymentSource {
  status(): Promise<EnvironmentStatus[]>;
  deployments(environment: string): Promise<DeploymentRecord[]>;
}

const FINISHED = new Set(['Completed', 'Failed', 'RolledBack', 'Rejected', 'Expired', 'Cancelled']);

export class ServerMetrics {
  readonly registry = new PromRegistry();
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly reloads: Counter<'result'>;
  readonly reloadDuration: Histogram;
  readonly collections: Gauge;
  private cache: { at: number; status: EnvironmentStatus[]; records: Map<string, DeploymentRecord[]> } | undefined;

  constructor(options: { databases?: () => Promise<Database[]>; deployments?: DeploymentSource; cacheMs?: number } = {}) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'honua_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'honua_http_request_duration_seconds',
      help: 'HTTP request latency by route (to the last byte)',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.reloads = new Counter({ name: 'honua_reloads_total', help: 'Registry reloads by result (ok, failed)', labelNames: ['result'], registers });
    this.reloadDuration = new Histogram({
      name: 'honua_reload_duration_seconds',
      help: 'Time to build a new registry aside and swap it in',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.collections = new Gauge({ name: 'honua_collections', help: 'Collections served by the live registry', registers });

    const databases = options.databases;
    new Gauge({
      name: 'honua_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting)',
      labelNames: ['state'],
      registers,
      async collect() {
        const all = databases ? await databases() : [];
        const sum = { total: 0, idle: 0, waiting: 0 };
        for (const db of all) {
          const s = db.poolStats?.();
          if (s) for (const k of ['total', 'idle', 'waiting'] as const) sum[k] += s[k];
        }
        this.reset();
        for (const k of ['total', 'idle', 'waiting'] as const) this.set({ state: k }, sum[k]);
      },
    });

    const source = options.deployments;
    if (!source) return;
    const cacheMs = options.cacheMs ?? 5000;
    const read = async () => {
      if (this.cache && Date.now() - this.cache.at < cacheMs) return this.cache;
      // The store unreachable: the deployment metrics are left out of this scrape, never guessed, and the scrape still answers.
      const status = await source.status().catch(() => [] as EnvironmentStatus[]);
      const records = new Map<string, DeploymentRecord[]>();
      for (const s of status) records.set(s.environment, await source.deployments(s.environment).catch(() => []));
      this.cache = { at: Date.now(), status, records };
      return this.cache;
    };
    new Counter({
      name: 'honua_deployments_total',
      help: 'Finished deployments by environment and result (the final state), from the state store',
      labelNames: ['environment', 'result'],
      registers,
      async collect() {
        const { records } = await read();
        this.reset();
        for (const [env, list] of records) for (const r of list) if (FINISHED.has(r.state)) this.inc({ environment: env, result: r.state });
      },
    });
    new Counter({
      name: 'honua_rollbacks_total',
      help: 'Rollbacks by environment (automatic and requested), from the state store',
      labelNames: ['environment'],
      registers,
      async collect() {
        const { records } = await read();
        this.reset();
        for (const [env, list] of records) {
          const n = list.filter((r) => r.kind === 'rollback' || r.state === 'RolledBack').length;
          if (n > 0) this.inc({ environment: env }, n);
        }
      },
    });
    new Histogram({
      name: 'honua_deployment_duration_seconds',
      help: 'Duration of finished deployments by environment, from the state store',
      labelNames: ['environment'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
      async collect() {
        const { records } = await read();
        this.reset();
        for (const [env, list] of records)
          for (const r of list) if (FINISHED.has(r.state) && r.durationMs !== undefined) this.observe({ environment: env }, r.durationMs / 1000);
      },
    });
    new Gauge({
      name: 'honua_time_to_recovery_seconds',
      help: 'Mean time to recover from a failed deployment over the DORA window, by environment',
      labelNames: ['environment'],
      registers,
      async collect() {
        const { status } = await read();
        this.reset();
        for (const s of status) if (s.dora.meanTimeToRecoverMs !== null) this.set({ environment: s.environment }, s.dora.meanTimeToRecoverMs / 1000);
      },
    });
    new Gauge({
      name: 'honua_environment_info',
      help: 'Each environment: its sync and health, and the commit it runs (value 1)',
      labelNames: ['environment', 'sync', 'health', 'commit'],
      registers,
      async collect() {
        const { status } = await read();
        this.reset();
        for (const s of status) this.set({ environment: s.environment, sync: s.sync, health: s.health, commit: s.deployedCommit ?? '' }, 1);
      },
    });
  }

  /** The text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
