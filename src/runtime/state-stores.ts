import path from 'node:path';
import { type LoadedRepo, requireState } from '../config/index.js';
import { connectDataSource, connectUrl, redactUrl, resolveSecret } from '../db/index.js';
import { FileStateStore, PostgresStateStore, type StateStore } from '../deploy/index.js';
import { UsageError } from '../errors/index.js';

/**
 * Which state store deployments live in, the same way for every door:
 *   --state / HONUA_STATE  a directory (file store), a postgres:// URL (PostgreSQL store), or
 *                          `config`: the environment's ServerConfig `gitops.stateStore` (what the
 *                          server on that machine uses);
 *   otherwise              the file store in $HONUA_HOME/state.
 * One store per place, opened on first use, closed with the runtime.
 */
export interface StateStoreChoice {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  state?: string | undefined;
  /** The working tree's configuration, or undefined without a repository. */
  config: () => Promise<LoadedRepo | undefined>;
}

export class StateStores {
  private readonly open = new Map<string, Promise<StateStore>>();

  constructor(private readonly choice: StateStoreChoice) {}

  private get spec(): string | undefined {
    return this.choice.state ?? (this.choice.env.HONUA_STATE || undefined);
  }

  async store(environment?: string): Promise<StateStore> {
    const spec = this.spec;
    if (spec === 'config') {
      if (environment === undefined) return this.file(path.join(this.choice.home, 'state'));
      return this.fromConfig(environment);
    }
    if (spec === undefined) return this.file(path.join(this.choice.home, 'state'));
    if (/^postgres(ql)?:\/\//i.test(spec))
      return this.cached(`pg:${spec}`, async () => new PostgresStateStore(connectUrl(spec, { maxConnections: 4 }), { ownsDatabase: true }));
    return this.file(path.resolve(this.choice.cwd, spec));
  }

  private file(dir: string): Promise<StateStore> {
    return this.cached(`file:${dir}`, async () => new FileStateStore(dir));
  }

  private cached(key: string, make: () => Promise<StateStore>): Promise<StateStore> {
    let s = this.open.get(key);
    if (!s) {
      s = make();
      s.catch(() => this.open.delete(key));
      this.open.set(key, s);
    }
    return s;
  }

  /** The store a ServerConfig names for an environment (the default file store when it names none). */
  private async fromConfig(environment: string): Promise<StateStore> {
    const repo = await this.choice.config();
    if (!repo)
      throw new UsageError('state-store-unavailable', "--state config reads the environment's ServerConfig, and there is no config repository here", {
        hint: 'Pass --repo DIR, or --state DIR.',
      });
    const state = requireState(repo, environment);
    const configured = state.server?.gitops?.stateStore;
    if (!configured) return this.file(path.join(this.choice.home, 'state'));
    if (configured.type === 'file') return this.file(path.resolve(configured.path));
    const schema = configured.schema;
    if (configured.url !== undefined) {
      const url = resolveSecret(configured.url, `the ${environment} state store's url`, this.choice.env);
      return this.cached(
        `pg:${url}`,
        async () => new PostgresStateStore(connectUrl(url, { maxConnections: 4 }), { ownsDatabase: true, ...(schema ? { schema } : {}) }),
      );
    }
    const ds = state.dataSources.find((d) => d.name === configured.dataSource) ?? state.dataSources[0];
    if (!ds) throw new UsageError('state-store-unavailable', `the ${environment} state store names no url and no datasource it can use`);
    return this.cached(
      `ds:${environment}/${ds.name}`,
      async () =>
        new PostgresStateStore(
          await connectDataSource(ds, { env: this.choice.env, maxConnections: 4, embeddedRoot: path.join(this.choice.home, 'embedded') }),
          { ownsDatabase: true, ...(schema ? { schema } : {}) },
        ),
    );
  }

  describe(): string {
    const spec = this.spec;
    if (spec === undefined) return `file store ${path.join(this.choice.home, 'state')}`;
    return /^postgres/i.test(spec)
      ? `PostgreSQL store ${redactUrl(spec)}`
      : spec === 'config'
        ? "the environment's ServerConfig store"
        : `file store ${path.resolve(this.choice.cwd, spec)}`;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (s) => (await s.catch(() => undefined))?.close().catch(() => undefined)));
  }
}
