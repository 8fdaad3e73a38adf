import path from 'node:path';
import type pg from 'pg';
import type { DataSource } from '../config/index.js';
import { HonuaError } from '../errors/index.js';
import { type Database, redactUrl } from './database.js';
import { EmbeddedDatabase, needsBuild, sampleCitySeed } from './embedded.js';
import { PostgresDatabase } from './postgres.js';
import { resolveSecret } from './secrets.js';

/**
 * Opens the database a DataSource describes. Secrets are read from the environment (or files)
 * now, never from git. `sslmode` maps to the driver's TLS settings: disable/allow/prefer → no TLS
 * (pg cannot fall back), require → TLS without verifying the certificate, verify-ca/verify-full →
 * TLS with verification. The pool size and statement timeout are the DataSource's.
 */
export interface ConnectOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides the pool size (the consultant and the CLI need one or two connections). */
  maxConnections?: number;
  /** Where embedded databases without a path live ($HONUA_HOME/embedded: the runtime says). */
  embeddedRoot?: string;
  /** Told when an embedded database is being created (a first run takes a few seconds). */
  log?: (line: string) => void;
  /** A statement timeout on every connection of the pool (the server's count pools: one round trip, bounded). */
  statementTimeoutMs?: number;
}

export function postgresConfig(ds: DataSource, options: ConnectOptions = {}): { config: pg.PoolConfig; description: string } {
  const env = options.env ?? process.env;
  const config: pg.PoolConfig = {
    max: options.maxConnections ?? ds.pool.max,
    min: ds.pool.min,
    idleTimeoutMillis: ds.pool.idleTimeoutMs,
    connectionTimeoutMillis: ds.connectTimeoutMs,
    application_name: 'honua',
  };
  if (ds.statementTimeoutMs !== undefined) config.statement_timeout = ds.statementTimeoutMs;
  if (options.statementTimeoutMs !== undefined) config.statement_timeout = options.statementTimeoutMs;
  let description: string;
  if (ds.url !== undefined) {
    const url = new URL(resolveSecret(ds.url, `the URL of datasource ${ds.name}`, env));
    // pg lets the URL's own (even empty) user and password win over separate settings: put them in the URL.
    if (ds.user !== undefined) url.username = encodeURIComponent(resolveSecret(ds.user, `the user of datasource ${ds.name}`, env));
    if (ds.password !== undefined) url.password = encodeURIComponent(resolveSecret(ds.password, `the password of datasource ${ds.name}`, env));
    config.connectionString = url.toString();
    description = redactUrl(url.toString());
  } else {
    config.host = ds.host;
    config.port = ds.port;
    config.database = ds.database;
    description = `${ds.host}:${ds.port}/${ds.database}`;
  }
  if (ds.url === undefined && ds.user !== undefined) config.user = resolveSecret(ds.user, `the user of datasource ${ds.name}`, env);
  if (ds.url === undefined && ds.password !== undefined) config.password = resolveSecret(ds.password, `the password of datasource ${ds.name}`, env);
  if (ds.sslmode === 'require') config.ssl = { rejectUnauthorized: false };
  else if (ds.sslmode === 'verify-ca' || ds.sslmode === 'verify-full') config.ssl = { rejectUnauthorized: true };
  else if (ds.sslmode !== undefined) config.ssl = false;
  return { config, description: `${ds.name} (${description})` };
}

export async function connectDataSource(ds: DataSource, options: ConnectOptions = {}): Promise<Database> {
  if (ds.type === 'embedded') {
    if (ds.path === undefined && options.embeddedRoot === undefined)
      throw new HonuaError('internal-error', `the embedded datasource ${ds.name} has no path and no folder for embedded databases was given`);
    const dir = ds.path ?? path.join(options.embeddedRoot as string, ds.name);
    return EmbeddedDatabase.open(
      dir,
      ds.seed === 'sample-city' && needsBuild(dir) ? await sampleCitySeed() : undefined,
      options.log ? { log: options.log } : {},
    );
  }
  const { config, description } = postgresConfig(ds, options);
  return new PostgresDatabase(config, description);
}

/** Opens a database from a URL (postgres://...) given on the command line. */
export function connectUrl(url: string, options: { maxConnections?: number; statementTimeoutMs?: number } = {}): Database {
  return new PostgresDatabase({
    connectionString: url,
    max: options.maxConnections ?? 4,
    application_name: 'honua',
    ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
}
