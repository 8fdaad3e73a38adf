import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../config/index.js';
import { UsageError } from '../errors/index.js';
import type { EngineOptions } from './engine.js';
import type { Io } from './io.js';

/**
 * The options every deployment command shares: where the repository, the database and the state
 * store are, who is asking (HONUA_TOKEN or --token-file, never a token on the command line), how
 * long to wait for another process that holds the environment, and --json.
 */
export interface DeployCommandOptions {
  repo?: string;
  databaseUrl?: string;
  datasource?: string;
  state?: string;
  tokenFile?: string;
  wait?: string;
  json?: boolean;
  /** --server URL: status, deployments, approve, reject, rollback and restore through a server's admin API. */
  server?: string;
}

export const addDeployOptions = (cmd: Command): Command =>
  cmd
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('--database-url <url>', "the database, instead of the environment's DataSource")
    .option('--datasource <name>', 'the DataSource, when the environment has several')
    .option(
      '--state <store>',
      'where deployments live: a directory, a postgres:// URL, or "config" (the ServerConfig\'s store); default $HONUA_STATE, else $HONUA_HOME/state',
    )
    .option('--token-file <file>', 'a file holding your token (default $HONUA_TOKEN): who you are, for approvals and the record')
    .option(
      '--server <url>',
      "a Honua server's URL: status, deployments, approve, reject, rollback and restore go through its admin API (default $HONUA_SERVER)",
    )
    .option('--wait <duration>', 'wait this long for another process changing the environment (default: fail at once, naming it)')
    .option('--json', 'print the result as JSON');

export function deployRuntime(opts: DeployCommandOptions, environment?: string): EngineOptions {
  return {
    repo: opts.repo,
    environment,
    databaseUrl: opts.databaseUrl,
    datasource: opts.datasource,
    state: opts.state,
    server: opts.server,
    remoteCapable: true,
    ...(opts.json ? { log: () => undefined } : {}),
  };
}

/** The person's token: --token-file, else $HONUA_TOKEN, else none (the operating-system user, unauthenticated). */
export function tokenOf(io: Io, opts: DeployCommandOptions): string | undefined {
  if (opts.tokenFile !== undefined) {
    const file = path.resolve(io.cwd, opts.tokenFile);
    try {
      const token = readFileSync(file, 'utf8').trim();
      if (!token) throw new UsageError('token-file-unreadable', `the token file ${file} is empty`);
      return token;
    } catch (cause) {
      if (cause instanceof UsageError) throw cause;
      throw new UsageError('token-file-unreadable', `cannot read the token file ${file}`, { cause });
    }
  }
  return io.env.HONUA_TOKEN || undefined;
}

export function waitOf(opts: { wait?: string | undefined }): number | undefined {
  if (opts.wait === undefined) return undefined;
  const ms = parseDuration(opts.wait);
  if (ms === undefined) throw new UsageError('bad-duration', `--wait "${opts.wait}" is not a duration`, { hint: 'e.g. --wait 30s or --wait 5m' });
  return ms;
}
