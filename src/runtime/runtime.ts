import type { LoadedRepo } from '../config/index.js';
import type { BackupTarget, Database } from '../db/index.js';
import { type EngineAccess, type EngineWorkspace, type GitHubSettings, LocalEngine, requireRepoDir } from '../engine/index.js';
import os from 'node:os';
import path from 'node:path';
import type { StateStore, Verifier } from '../deploy/index.js';
import { UsageError } from '../errors/index.js';
import { Databases } from './databases.js';
import { StateStores } from './state-stores.js';
import { honuaHome } from './home.js';
import { resolveRepository } from './repository.js';
import { ensureSampleWorkspace } from './sample-workspace.js';
import { ConfigSnapshots } from './snapshots.js';

/**
 * The composition root. A command, the MCP server and (next) the server and the controller
 * create one runtime from their options; it resolves the Honua home, the config repository and
 * the default environment once, owns one connection pool per database and a cache of
 * configuration snapshots per commit, and hands engines a workspace over them. Closing the
 * runtime closes every pool. Nothing below it reads the process environment.
 */
export interface RuntimeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --repo DIR; else the current directory when it is in a config repository. */
  repo?: string | undefined;
  /** With no repository: the sample workspace (honua-ai ask and chat: the README's zero-config path). */
  sampleWorkspace?: boolean;
  /** The environment requests mean when they name none (default development). */
  environment?: string | undefined;
  databaseUrl?: string | undefined;
  datasource?: string | undefined;
  /** A least-privilege role every consultant query runs as (default $HONUA_AI_DB_ROLE). */
  dbRole?: string | undefined;
  /** With no repository: the embedded sample city as the database (honua db inspect). */
  sampleDatabase?: boolean;
  /** Where deployments live: a directory, a postgres:// URL, or `config` (default $HONUA_STATE, else $HONUA_HOME/state). */
  state?: string | undefined;
  /** Verifiers deployments run besides the layers' health checks (the CLI adds the server's OGC probe). */
  verifiers?: readonly Verifier[];
  log?: (line: string) => void;
  clock?: () => Date;
  /** --github-api-url, --github-repo (the token and the rest come from the environment). */
  github?: { apiUrl?: string | undefined; repo?: string | undefined; fetch?: typeof fetch } | undefined;
}

export class Runtime implements EngineWorkspace {
  readonly home: string;
  readonly defaultEnvironment: string;
  readonly dbRole: string | undefined;
  readonly usersFile: string;
  readonly user: string;
  readonly incidentDir: string;
  readonly github: GitHubSettings;
  private readonly snapshots: ConfigSnapshots | undefined;
  private readonly databases: Databases;
  private readonly stores: StateStores;

  constructor(
    readonly repoDir: string | undefined,
    readonly repoFrom: string,
    private readonly options: RuntimeOptions,
  ) {
    this.home = honuaHome(options.env);
    this.defaultEnvironment = options.environment ?? 'development';
    this.github = { ...options.github, env: options.env };
    this.dbRole = options.dbRole ?? (options.env.HONUA_AI_DB_ROLE || undefined);
    this.snapshots = repoDir === undefined ? undefined : new ConfigSnapshots(repoDir);
    this.usersFile = options.env.HONUA_USERS_FILE || path.join(this.home, 'users.yaml');
    this.user = options.env.HONUA_USER || options.env.USER || options.env.USERNAME || options.env.LOGNAME || os.userInfo().username;
    this.incidentDir = path.join(this.home, 'incidents');
    this.stores = new StateStores({
      home: this.home,
      cwd: options.cwd,
      env: options.env,
      state: options.state,
      config: async () => (this.snapshots ? this.snapshots.load() : undefined),
    });
    this.databases = new Databases(
      {
        home: this.home,
        env: options.env,
        databaseUrl: options.databaseUrl,
        datasource: options.datasource,
        sampleWhenNoRepo: options.sampleDatabase === true,
        log: options.log,
      },
      async () => (this.snapshots ? this.snapshots.load() : undefined),
    );
  }

  get verifiers(): readonly Verifier[] | undefined {
    return this.options.verifiers;
  }

  /** An engine over this runtime: `consultant` access reads the database only, under the least-privilege role. */
  engine(access: EngineAccess = 'full'): LocalEngine {
    return new LocalEngine(this, { access });
  }

  async config(ref?: string): Promise<LoadedRepo> {
    requireRepoDir(this);
    return (this.snapshots as ConfigSnapshots).load(ref);
  }

  database(environment = this.defaultEnvironment): Promise<Database> {
    return this.databases.database(environment);
  }

  describeDatabase(environment = this.defaultEnvironment): string {
    return this.databases.describe(environment, this.repoDir !== undefined);
  }

  backupTarget(environment = this.defaultEnvironment): Promise<BackupTarget> {
    return this.databases.backupTarget(environment);
  }

  releaseDatabase(environment = this.defaultEnvironment): Promise<void> {
    return this.databases.release(environment);
  }

  stateStore(environment?: string): Promise<StateStore> {
    return this.stores.store(environment);
  }

  /** Stops this process where a test asked (HONUA_FAILPOINT=after-transition:Applying), as kill -9 would. */
  failpoint(name: string): void {
    if (this.options.env.HONUA_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
  }

  /** Now: the injected clock, else $HONUA_NOW (a fixed ISO time, for tests and rehearsals), else the system's. */
  clock(): Date {
    if (this.options.clock) return this.options.clock();
    const fixed = this.options.env.HONUA_NOW;
    if (fixed) {
      const at = new Date(fixed);
      if (Number.isNaN(at.getTime())) throw new UsageError('bad-time', `HONUA_NOW "${fixed}" is not an ISO 8601 time`);
      return at;
    }
    return new Date();
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  async close(): Promise<void> {
    await Promise.all([this.databases.closeAll(), this.stores.closeAll()]);
  }
}

/** Resolves a runtime's repository (and creates the sample workspace when that is what was asked for). */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const home = honuaHome(options.env);
  const repo = await resolveRepository({
    repo: options.repo,
    cwd: options.cwd,
    fallback: options.sampleWorkspace ? () => ensureSampleWorkspace(home, options.log) : undefined,
  });
  return new Runtime(repo.dir, repo.from, options);
}
