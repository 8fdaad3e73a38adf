import path from 'node:path';
import { openDatabase } from '../cli/database.js';
import type { Database } from '../db/database.js';
import { redactUrl } from '../db/database.js';
import { findConfigRoot } from '../source/open-source.js';

/**
 * One way for every `honua-ai` command (and the MCP server) to find what it works on:
 *   repository  --repo DIR, else the current directory when it is inside a config repository,
 *               else the fallback (the consultant's workspace copy of the sample), else none;
 *   environment --environment ENV, default development;
 *   database    --database-url URL, else the environment's DataSource, else the embedded sample city.
 */
export interface ContextOptions {
  repo?: string;
  environment?: string;
  databaseUrl?: string;
  datasource?: string;
  /** A least-privilege role the consultant's queries run as (SET ROLE); default $HONUA_AI_DB_ROLE. */
  dbRole?: string;
  /** Told of slow first-time work (creating the embedded database). */
  log?: (line: string) => void;
}

export interface ConsultantContext {
  /** The config repository's root, or undefined when there is none. */
  repoDir: string | undefined;
  /** How the repository was found, for messages. */
  repoFrom: '--repo' | 'current directory' | 'workspace' | 'none';
  environment: string;
  /** Where the database comes from, for messages (no secrets). */
  databaseFrom: string;
  openDatabase(): Promise<Database>;
  /** The role every consultant query runs as, when one is configured. */
  dbRole?: string;
  env: NodeJS.ProcessEnv;
}

export async function resolveContext(
  options: ContextOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
  fallbackRepo?: () => Promise<string>,
): Promise<ConsultantContext> {
  let repoDir: string | undefined;
  let repoFrom: ConsultantContext['repoFrom'] = 'none';
  if (options.repo !== undefined) {
    repoDir = await findConfigRoot(path.resolve(cwd, options.repo));
    repoFrom = '--repo';
  } else {
    repoDir = await findConfigRoot(cwd).catch(() => undefined);
    if (repoDir !== undefined) repoFrom = 'current directory';
    else if (fallbackRepo) {
      repoDir = await fallbackRepo();
      repoFrom = 'workspace';
    }
  }
  const environment = options.environment ?? 'development';
  const databaseFrom =
    options.databaseUrl !== undefined
      ? `--database-url ${redactUrl(options.databaseUrl)}`
      : repoDir !== undefined
        ? `the ${environment} DataSource${options.datasource ? ` ${options.datasource}` : ''}`
        : 'the embedded sample city';
  const dbRole = options.dbRole ?? (env.HONUA_AI_DB_ROLE || undefined);
  return {
    repoDir,
    repoFrom,
    environment,
    databaseFrom,
    ...(dbRole ? { dbRole } : {}),
    env,
    openDatabase: () =>
      openDatabase(
        {
          ...(repoDir !== undefined ? { repo: repoDir } : {}),
          environment,
          ...(options.datasource !== undefined ? { datasource: options.datasource } : {}),
          ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
        },
        repoDir ?? cwd,
        env,
        options.log,
      ),
  };
}
