import type { DataSource } from '../config/kinds/data-source.js';
import path from 'node:path';
import { type BackupTarget, pgTarget } from '../db/backup.js';
import { connectDataSource, connectUrl, postgresConfig } from '../db/connect.js';
import { redactUrl } from '../db/database.js';
import type { Database } from '../db/database.js';
import { honuaHome, openSampleCity } from '../db/embedded.js';
import { HonuaError, UsageError } from '../errors/index.js';
import { loadConfig, requireState } from './workspace.js';

/**
 * Which database a command works on, the same way for every command: `--database-url`, else
 * the environment's DataSource (`--datasource` when it has several), else the embedded sample
 * city (when there is no config repository at all).
 */
export interface DatabaseOptions {
  repo?: string;
  environment?: string;
  datasource?: string;
  databaseUrl?: string;
}

export async function openDatabase(opts: DatabaseOptions, cwd: string, env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<Database> {
  if (opts.databaseUrl !== undefined) return connectUrl(opts.databaseUrl);
  const ds = await selectedDataSource(opts, cwd);
  if (ds === 'sample-city') return openSampleCity(path.join(honuaHome(env), 'embedded', 'sample-city'), log ? { log } : {});
  return connectDataSource(ds, { env, maxConnections: 4, ...(log ? { log } : {}) });
}

/** The DataSource a command is about, or the embedded sample city when there is no config repository. */
async function selectedDataSource(opts: DatabaseOptions, cwd: string): Promise<DataSource | 'sample-city'> {
  let repo;
  try {
    repo = await loadConfig(opts.repo ?? cwd);
  } catch (error) {
    if (opts.repo === undefined && opts.datasource === undefined && (error as { code?: string }).code === 'repo-not-found') return 'sample-city';
    throw error;
  }
  const state = requireState(repo, opts.environment ?? 'development');
  return pickDataSource(state.dataSources, state.services.map((s) => s.dataSource), state.environment, opts.datasource);
}

/** What the backup tools reach: libpq settings for a server, or the embedded data directory. */
export async function backupTarget(opts: DatabaseOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<BackupTarget> {
  if (opts.databaseUrl !== undefined) return pgTarget({ connectionString: opts.databaseUrl }, redactUrl(opts.databaseUrl));
  const ds = await selectedDataSource(opts, cwd);
  if (ds === 'sample-city') return { kind: 'embedded', dir: path.join(honuaHome(env), 'embedded', 'sample-city'), description: 'embedded sample city' };
  if (ds.type === 'embedded') {
    const dir = ds.path ?? path.join(honuaHome(env), 'embedded', ds.name);
    return { kind: 'embedded', dir, description: `embedded database ${dir}` };
  }
  const { config, description } = postgresConfig(ds, { env });
  return pgTarget({ ...config, password: typeof config.password === 'string' ? config.password : undefined, sslmode: ds.sslmode }, description);
}

export function pickDataSource(all: DataSource[], used: string[], environment: string, name?: string): DataSource {
  if (name !== undefined) {
    const ds = all.find((d) => d.name === name);
    if (!ds) throw new UsageError('unknown-datasource', `${environment} has no datasource "${name}"`, { hint: `Known: ${all.map((d) => d.name).join(', ') || 'none'}.` });
    return ds;
  }
  if (all.length === 0) throw new HonuaError('no-datasource', `${environment} has no datasource`, { hint: 'Add one to environments/<env>/datasources.yaml, or pass --database-url.' });
  if (all.length === 1) return all[0] as DataSource;
  const primary = all.find((d) => used.includes(d.name));
  if (primary && new Set(used).size === 1) return primary;
  throw new UsageError('ambiguous-datasource', `${environment} has several datasources: ${all.map((d) => d.name).join(', ')}`, { hint: 'Pick one with --datasource NAME.' });
}

/** Runs `fn` with the database and always closes it. */
export async function withDatabase<T>(opts: DatabaseOptions, cwd: string, env: NodeJS.ProcessEnv, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(opts, cwd, env);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function migrationsFor(repoDir: string, environment: string) {
  const repo = await loadConfig(repoDir);
  return requireState(repo, environment);
}
