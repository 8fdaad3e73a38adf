import path from 'node:path';
import { type DataSource, type LoadedRepo, requireState } from '../config/index.js';
import { type BackupTarget, connectDataSource, connectUrl, type Database, openSampleCity, pgTarget, postgresConfig, redactUrl } from '../db/index.js';
import { HonuaError, UsageError } from '../errors/index.js';

/**
 * The databases a runtime's commands work on, one pool per database, opened on first use and
 * closed together. Which one an environment means, the same way for every command:
 * `--database-url`, else the environment's DataSource (`--datasource` when it has several),
 * else — only where a command's zero-config path asks for it (honua db inspect with no
 * repository) — the embedded sample city.
 */
export interface DatabaseChoice {
  home: string;
  env: NodeJS.ProcessEnv;
  databaseUrl?: string | undefined;
  datasource?: string | undefined;
  /** With no config repository, use the embedded sample city. */
  sampleWhenNoRepo?: boolean | undefined;
  log?: ((line: string) => void) | undefined;
}

type Selected = { kind: 'url'; url: string } | { kind: 'sample' } | { kind: 'datasource'; ds: DataSource; environment: string };

export class Databases {
  private readonly open = new Map<string, Promise<Database>>();

  constructor(
    private readonly choice: DatabaseChoice,
    /** The working tree's configuration, or undefined when there is no repository. */
    private readonly config: () => Promise<LoadedRepo | undefined>,
  ) {}

  private async select(environment: string): Promise<Selected> {
    if (this.choice.databaseUrl !== undefined) return { kind: 'url', url: this.choice.databaseUrl };
    const repo = await this.config();
    if (repo === undefined) {
      if (this.choice.sampleWhenNoRepo && this.choice.datasource === undefined) return { kind: 'sample' };
      throw new UsageError('no-config-repo', 'there is no Honua config repository here, so no DataSource says which database to use', {
        hint: 'Pass --repo DIR (a folder with environments/, migrations/ or policies/), run from inside one, or pass --database-url.',
      });
    }
    const state = requireState(repo, environment);
    return {
      kind: 'datasource',
      ds: pickDataSource(
        state.dataSources,
        state.services.map((s) => s.dataSource),
        state.environment,
        this.choice.datasource,
      ),
      environment: state.environment,
    };
  }

  private key(s: Selected): string {
    if (s.kind === 'url') return `url:${s.url}`;
    if (s.kind === 'sample') return `embedded:${this.sampleDir()}`;
    return s.ds.type === 'embedded' ? `embedded:${this.embeddedDir(s.ds)}` : `datasource:${s.environment}/${s.ds.name}`;
  }

  private sampleDir = (): string => path.join(this.choice.home, 'embedded', 'sample-city');
  private embeddedDir = (ds: DataSource): string => ds.path ?? path.join(this.choice.home, 'embedded', ds.name);

  /** The environment's database; the same pool for every call. */
  async database(environment: string): Promise<Database> {
    const selected = await this.select(environment);
    const key = this.key(selected);
    let db = this.open.get(key);
    if (!db) {
      db =
        selected.kind === 'url'
          ? Promise.resolve(connectUrl(selected.url))
          : selected.kind === 'sample'
            ? openSampleCity(this.sampleDir(), this.choice.log ? { log: this.choice.log } : {})
            : connectDataSource(selected.ds, {
                env: this.choice.env,
                maxConnections: 4,
                embeddedRoot: path.join(this.choice.home, 'embedded'),
                ...(this.choice.log ? { log: this.choice.log } : {}),
              });
      db.catch(() => this.open.delete(key));
      this.open.set(key, db);
    }
    return db;
  }

  /** Closes one environment's database (it is opened again on the next use). */
  async release(environment: string): Promise<void> {
    const key = this.key(await this.select(environment));
    const db = this.open.get(key);
    this.open.delete(key);
    if (db) await (await db).close();
  }

  /** Where the environment's database is, without opening it or reading secrets. */
  describe(environment: string, hasRepo: boolean): string {
    if (this.choice.databaseUrl !== undefined) return `--database-url ${redactUrl(this.choice.databaseUrl)}`;
    if (!hasRepo) return 'the embedded sample city';
    return `the ${environment} DataSource${this.choice.datasource ? ` ${this.choice.datasource}` : ''}`;
  }

  /** What the backup tools reach: libpq settings for a server, or the embedded data directory. */
  async backupTarget(environment: string): Promise<BackupTarget> {
    const s = await this.select(environment);
    if (s.kind === 'url') return pgTarget({ connectionString: s.url }, redactUrl(s.url));
    if (s.kind === 'sample') return { kind: 'embedded', dir: this.sampleDir(), description: 'embedded sample city' };
    if (s.ds.type === 'embedded') return { kind: 'embedded', dir: this.embeddedDir(s.ds), description: `embedded database ${this.embeddedDir(s.ds)}` };
    const { config, description } = postgresConfig(s.ds, { env: this.choice.env });
    return pgTarget({ ...config, password: typeof config.password === 'string' ? config.password : undefined, sslmode: s.ds.sslmode }, description);
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (db) => (await db.catch(() => undefined))?.close().catch(() => undefined)));
  }
}

/** The DataSource a command means: the one named, the only one, or the one the services use. */
export function pickDataSource(all: DataSource[], used: string[], environment: string, name?: string): DataSource {
  if (name !== undefined) {
    const ds = all.find((d) => d.name === name);
    if (!ds)
      throw new UsageError('unknown-datasource', `${environment} has no datasource "${name}"`, {
        hint: `Known: ${all.map((d) => d.name).join(', ') || 'none'}.`,
      });
    return ds;
  }
  if (all.length === 0)
    throw new HonuaError('no-datasource', `${environment} has no datasource`, {
      hint: 'Add one to environments/<env>/datasources.yaml, or pass --database-url.',
    });
  if (all.length === 1) return all[0] as DataSource;
  const primary = all.find((d) => used.includes(d.name));
  if (primary && new Set(used).size === 1) return primary;
  throw new UsageError('ambiguous-datasource', `${environment} has several datasources: ${all.map((d) => d.name).join(', ')}`, {
    hint: 'Pick one with --datasource NAME.',
  });
}
