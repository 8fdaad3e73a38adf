import type { LoadedRepo } from '../config/index.js';
import type { BackupTarget, Database } from '../db/index.js';
import { type EngineAccess, type EngineWorkspace, LocalEngine, requireRepoDir } from '../engine/index.js';
import { Databases } from './databases.js';
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
  log?: (line: string) => void;
  clock?: () => Date;
}

export class Runtime implements EngineWorkspace {
  readonly home: string;
  readonly defaultEnvironment: string;
  readonly dbRole: string | undefined;
  private readonly snapshots: ConfigSnapshots | undefined;
  private readonly databases: Databases;

  constructor(
    readonly repoDir: string | undefined,
    readonly repoFrom: string,
    private readonly options: RuntimeOptions,
  ) {
    this.home = honuaHome(options.env);
    this.defaultEnvironment = options.environment ?? 'development';
    this.dbRole = options.dbRole ?? (options.env.HONUA_AI_DB_ROLE || undefined);
    this.snapshots = repoDir === undefined ? undefined : new ConfigSnapshots(repoDir);
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

  clock(): Date {
    return this.options.clock?.() ?? new Date();
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  close(): Promise<void> {
    return this.databases.closeAll();
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
