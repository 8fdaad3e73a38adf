import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { FileAuditLog, Redactor } from '../../guardrails/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { HonuaServer, OgcVerifier, ServerDatabases, workingTreeSnapshot } from '../../src/server/index.js';
import { testDatabase } from './database.js';
import { gitInit, sampleCopy, tempDir } from './repo.js';

/**
 * A Honua server over the sample city on the real PostgreSQL server: the sample repository as a
 * git repository, a database of its own, a home and a file state store, development deployed
 * (unless `deploy: false`), and the server over its active snapshot, in process.
 */
export interface ServerSetup {
  repo: string;
  url: string;
  home: string;
  env: NodeJS.ProcessEnv;
  runtime: Runtime;
  server: HonuaServer;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  json(url: string): Promise<Record<string, unknown>>;
  /** Another runtime on the same repository, home and store; `live: false` — as another process, it does not reach this server directly. */
  open(extra?: { env?: NodeJS.ProcessEnv; state?: string; live?: boolean }): Promise<Runtime>;
  close(): Promise<void>;
}

export async function serverSetup(
  options: {
    deploy?: boolean;
    state?: string;
    postgresState?: boolean;
    files?: Record<string, string>;
    admin?: boolean;
    pollMs?: number;
    env?: NodeJS.ProcessEnv;
    /** SQL run on the database before anything is deployed. */
    sql?: string;
  } = {},
): Promise<ServerSetup | undefined> {
  const { url, db } = await testDatabase({ sampleCity: true });
  if (!url) return undefined;
  if (options.sql) await db.exec(options.sql);
  if (options.postgresState) options = { ...options, state: url };
  const repo = await sampleCopy(options.files ?? {});
  await gitInit(repo);
  const home = await tempDir();
  const env: NodeJS.ProcessEnv = { HONUA_HOME: home, HONUA_USER: 'mike', ...options.env };
  const ref: { live?: HonuaServer } = {};
  const open = (extra: { env?: NodeJS.ProcessEnv; state?: string; live?: boolean } = {}) =>
    createRuntime({
      cwd: repo,
      env: { ...env, ...extra.env },
      repo,
      databaseUrl: url,
      ...((extra.state ?? options.state) ? { state: extra.state ?? options.state } : {}),
      verifiers: [new OgcVerifier({ live: () => (extra.live === false ? undefined : ref.live) })],
    });
  const runtime = await open();
  if (options.deploy !== false) {
    const record = await runtime.engine().deploy({ environment: 'development' });
    if (record.state !== 'Completed') throw new Error(`the sample did not deploy: ${JSON.stringify(record.error)}`);
  }
  const server = await HonuaServer.create({
    environment: 'development',
    store: await runtime.stateStore('development'),
    databases: new ServerDatabases({ env, home, databaseUrl: url }),
    engine: options.admin === false ? undefined : runtime.engine(),
    audit: new FileAuditLog(path.join(home, 'audit', 'admin-api.jsonl'), new Redactor()),
    fallback: async () => workingTreeSnapshot(await runtime.config(), 'development', new Date()),
    pollMs: options.pollMs ?? 0,
  });
  ref.live = server;
  const get = (u: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url: u, headers });
  return {
    repo,
    url,
    home,
    env,
    runtime,
    server,
    get,
    json: async (u) => JSON.parse((await get(u)).body) as Record<string, unknown>,
    open,
    close: async () => {
      await server.close();
      await runtime.close();
    },
  };
}
