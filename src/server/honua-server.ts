import type { FastifyInstance } from 'fastify';
import type { DeploymentRecord, Snapshot, StateStore } from '../deploy/index.js';
import type { Engine } from '../engine/index.js';
import { HonuaError } from '../errors/index.js';
import type { AuditLog } from '../../guardrails/index.js';
import { createServerApp, normalizeBasePath } from './app.js';
import { Maintenance } from './maintenance.js';
import { restoresDatabase, withRestoreMaintenance } from './restore-maintenance.js';
import { ServerMetrics } from './metrics.js';
import { probeApp } from './ogc-probe.js';
import { changedCollections, type LiveServer } from './ogc-verifier.js';
import { buildRegistry, type Registry } from './registry.js';
import { RegistryHolder } from './registry-holder.js';
import type { ServerDatabases } from './server-databases.js';

/**
 * `honua serve`: one environment's active snapshot, served, and kept current. A reload reads the
 * environment's state; when another snapshot is active it builds that snapshot's registry off to
 * the side (collections, SQL, extents — the OpenAPI document is generated from it on first use),
 * probes it in process, and swaps it in atomically; requests in flight finish on the registry
 * they started with, whose pools are closed once no request and no registry uses them (pools of
 * unchanged datasources are kept). Reloads are serialized. They are triggered directly (a
 * deployment through this server's admin API), by the store's change notification (fs.watch for
 * the file store, LISTEN/NOTIFY for PostgreSQL) and by polling, since notifications can be lost.
 * A snapshot that fails to build or to answer is not swapped in: the server keeps serving the
 * last good one and says so in /readyz, the log and the metrics.
 */
export interface HonuaServerOptions {
  environment: string;
  store: StateStore;
  databases: ServerDatabases;
  /** The engine behind the admin API and the deployment metrics; without one neither is served. */
  engine?: Engine | undefined;
  /** What to serve when the environment has no active snapshot (the working tree's configuration), or undefined. */
  fallback?: () => Promise<Snapshot | undefined>;
  basePath?: string | undefined;
  baseUrl?: string | undefined;
  corsOrigins?: readonly string[] | undefined;
  audit?: AuditLog | undefined;
  /** How often the state is re-read besides notifications (default 2 s; 0: never). */
  pollMs?: number;
  /**
   * How often the server starts what is due in its environment (default 30 s; 0: never): a
   * deployment scheduled for a time, or held for the policy's window, once that time has come;
   * an approval that has expired. Needs the engine.
   */
  scheduleMs?: number;
  log?: (line: string) => void;
}

export type ReloadOutcome = { result: 'unchanged' } | { result: 'swapped'; from: string; to: string; ms: number } | { result: 'failed'; error: string };

export class HonuaServer implements LiveServer {
  readonly environment: string;
  readonly basePath: string;
  readonly metrics: ServerMetrics;
  lastReloadError: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private stopWatch: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scheduler: NodeJS.Timeout | undefined;
  private dueRunning = false;
  private closed = false;

  private constructor(
    readonly app: FastifyInstance,
    readonly holder: RegistryHolder,
    metrics: ServerMetrics,
    private readonly options: HonuaServerOptions,
    /** Maintenance mode (503 with Retry-After on the data endpoints): the admin API and a restore set it. */
    readonly maintenance: Maintenance,
  ) {
    this.environment = options.environment;
    this.basePath = normalizeBasePath(options.basePath ?? '/ogc');
    this.metrics = metrics;
  }

  get registry(): Registry {
    return this.holder.current;
  }

  static async create(options: HonuaServerOptions): Promise<HonuaServer> {
    const log = options.log ?? (() => undefined);
    const first = await loadActive(options);
    if (!first) {
      throw new HonuaError(
        'nothing-to-serve',
        `${options.environment} has no active snapshot in ${options.store.description} and there is no configuration to serve`,
        {
          hint: `Deploy it first: honua deploy -e ${options.environment} (or honua dev apply).`,
        },
      );
    }
    const registry = await build(first.snapshot, options, first.source);
    const databases = options.databases;
    const ref: { server?: HonuaServer } = {};
    // Pools are closed only on the reload chain (never while a candidate is being built) and only when neither the
    // current registry nor one still retiring uses them.
    const holder = new RegistryHolder(registry, async () => ref.server?.retainPools());
    const engine = options.engine;
    const metrics = new ServerMetrics({
      databases: () => databases.all(),
      ...(engine
        ? {
            deployments: {
              status: () => engine.status({ environment: options.environment }),
              deployments: (environment: string) => engine.deployments({ environment, limit: 1000 }),
            },
          }
        : {}),
    });
    const maintenance = new Maintenance();
    const app = await createServerApp({
      holder,
      maintenance,
      basePath: options.basePath,
      baseUrl: options.baseUrl,
      corsOrigins: options.corsOrigins,
      metrics,
      databases: () => databases.all(),
      log,
      ...(engine
        ? {
            admin: {
              engine,
              maintenance,
              audit: options.audit,
              changed: async (env: string) => void (env === options.environment ? await ref.server?.reload('admin API') : undefined),
            },
          }
        : {}),
    });
    const server = new HonuaServer(app, holder, metrics, options, maintenance);
    ref.server = server;
    metrics.collections.set(registry.collections.size);
    return server;
  }

  /** Closes the pools no live registry uses, in turn with reloads. */
  retainPools(): Promise<void> {
    const next = this.chain.then(() =>
      this.options.databases.retain(
        new Set(this.holder.live().flatMap((r) => [...r.collections.values()].flatMap((c) => [c.poolKey, ...(c.counter ? [c.counter.key] : [])]))),
      ),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Builds and swaps in the environment's active snapshot when it is not the one served. */
  reload(reason: string): Promise<ReloadOutcome> {
    const next = this.chain.then(() => this.reloadNow(reason));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(reason: string): Promise<ReloadOutcome> {
    if (this.closed) return { result: 'unchanged' };
    const log = this.options.log ?? (() => undefined);
    const started = performance.now();
    try {
      const active = await loadActive(this.options);
      if (!active || (active.snapshot.id === this.registry.id && active.source === this.registry.source)) return { result: 'unchanged' };
      const candidate = await build(active.snapshot, this.options, active.source);
      // The candidate answers before it goes live: a temporary app over it, probed in process.
      const probe = await createServerApp({ holder: new RegistryHolder(candidate), basePath: this.basePath });
      const results = await probeApp(probe, { basePath: this.basePath, label: 'candidate', collections: changedCollections(candidate, undefined) }).finally(
        () => probe.close(),
      );
      const failed = results.filter((r) => !r.passed);
      if (failed.length > 0) throw new HonuaError('verification-failed', `the candidate does not answer: ${failed.map((r) => r.detail).join('; ')}`);
      const old = this.holder.swap(candidate);
      const ms = performance.now() - started;
      this.metrics.reloads.inc({ result: 'ok' });
      this.metrics.reloadDuration.observe(ms / 1000);
      this.metrics.collections.set(candidate.collections.size);
      this.lastReloadError = undefined;
      log(`reloaded (${reason}): ${old.id} → ${candidate.id}, ${candidate.collections.size} collections, ${Math.round(ms)} ms`);
      return { result: 'swapped', from: old.id, to: candidate.id, ms };
    } catch (error) {
      this.metrics.reloads.inc({ result: 'failed' });
      this.lastReloadError = (error as Error).message;
      log(`reload (${reason}) failed; still serving ${this.registry.id}: ${(error as Error).message}`);
      return { result: 'failed', error: (error as Error).message };
    }
  }

  /** Reloads on the store's notifications and every pollMs. */
  async watch(): Promise<void> {
    const store = this.options.store;
    if (store.watch) {
      this.stopWatch = await store
        .watch(this.environment, () => void this.reload('state store notification'))
        .catch((error: Error) => {
          this.options.log?.(`no change notifications from ${store.description} (${error.message}); polling`);
          return undefined;
        });
    }
    const poll = this.options.pollMs ?? 2000;
    if (poll > 0) {
      this.timer = setInterval(() => void this.reload('poll'), poll);
      this.timer.unref();
    }
    const every = this.options.scheduleMs ?? 30_000;
    if (this.options.engine && every > 0) {
      this.scheduler = setInterval(() => void this.runDue(), every);
      this.scheduler.unref();
    }
  }

  /**
   * Starts what is due in this environment (the engine decides: a scheduled time or a window
   * that has come, an approval that has expired), one run at a time; a database restore among
   * them runs in maintenance mode. What it activated is then served.
   */
  async runDue(): Promise<DeploymentRecord[]> {
    const engine = this.options.engine;
    if (!engine || this.closed || this.dueRunning) return [];
    this.dueRunning = true;
    try {
      const now = engine.workspace.clock().getTime();
      const due = (await engine.deployments({ environment: this.environment, limit: 20 })).filter(
        (d) => d.state === 'Pending' && (!d.notBefore || Date.parse(d.notBefore) <= now),
      );
      const started = await withRestoreMaintenance(
        this.maintenance,
        due.some(restoresDatabase),
        `restoring ${this.environment} from a backup`,
        'scheduler',
        () => engine.runDue(this.environment, { via: 'server' }),
      );
      for (const r of started) this.options.log?.(`started ${r.id} (${r.kind}, now ${r.state})`);
      if (started.length > 0) await this.reload('scheduled deployment');
      return started;
    } catch (error) {
      this.options.log?.(`could not start what is due in ${this.environment}: ${(error as Error).message}`);
      return [];
    } finally {
      this.dueRunning = false;
    }
  }

  async listen(port: number, host: string): Promise<string> {
    try {
      return await this.app.listen({ port, host });
    } catch (error) {
      throw new HonuaError('listen-failed', `cannot listen on ${host}:${port}: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.scheduler) clearInterval(this.scheduler);
    await this.stopWatch?.().catch(() => undefined);
    await this.app.close();
    await this.chain.catch(() => undefined);
    await this.options.databases.closeAll();
  }
}

async function loadActive(options: HonuaServerOptions): Promise<{ snapshot: Snapshot; source: Registry['source'] } | undefined> {
  const state = (await options.store.getEnvironment(options.environment)).value;
  if (state.activeSnapshot) {
    const snapshot = await options.store.getSnapshot(options.environment, state.activeSnapshot);
    if (!snapshot)
      throw new HonuaError('snapshot-not-found', `${options.environment}'s active snapshot ${state.activeSnapshot} is not in ${options.store.description}`);
    return { snapshot, source: 'snapshot' };
  }
  const fallback = await options.fallback?.();
  return fallback ? { snapshot: fallback, source: 'working tree' } : undefined;
}

function build(snapshot: Snapshot, options: HonuaServerOptions, source: Registry['source']): Promise<Registry> {
  return buildRegistry(snapshot, {
    database: (ds) => options.databases.get(ds),
    poolKey: (ds) => options.databases.key(ds),
    counter: (ds, budgetMs) => options.databases.counter(ds, budgetMs),
    counterKey: (ds, budgetMs) => options.databases.countKey(ds, budgetMs),
    source,
    ...(options.log ? { log: options.log } : {}),
  });
}
