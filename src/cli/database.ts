import type { DataSource } from '../config/kinds/data-source.js';
import { connectDataSource, connectUrl } from '../db/connect.js';
import type { Database } from '../db/database.js';
import { openSampleCity } from '../db/embedded.js';
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

export async function openDatabase(opts: DatabaseOptions, cwd: string, env: NodeJS.ProcessEnv): Promise<Database> {
  if (opts.databaseUrl !== undefined) return connectUrl(opts.databaseUrl);
  let repo;
  try {
    repo = await loadConfig(opts.repo ?? cwd);
  } catch (error) {
    if (opts.repo === undefined && opts.datasource === undefined && (error as { code?: string }).code === 'repo-not-found') return openSampleCity();
    throw error;
  }
  const state = requireState(repo, opts.environment ?? 'development');
  return connectDataSource(pickDataSource(state.dataSources, state.services.map((s) => s.dataSource), state.environment, opts.datasource), { env, maxConnections: 4 });
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
