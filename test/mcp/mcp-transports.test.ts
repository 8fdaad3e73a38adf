import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../guardrails/audit-log.js';
import { Redactor } from '../../guardrails/redact.js';
import type { Database } from '../../src/db/database.js';
import { type RunningHttp, serveHttp } from '../../src/mcp/http.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { TOOLS } from '../../tools/registry.js';
import { consultant } from '../helpers/consultant.js';
import { serverUrl, testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * The MCP server over its real transports: the built `honua-ai mcp` over stdio, Streamable
 * HTTP in-process (bearer token, Host check) and as the real CLI, and the MCP Inspector's CLI
 * mode against the built binary.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/src/cli/honua-ai.js');
const INSPECTOR = path.join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const READ_TOOLS = TOOLS.filter((t) => t.toolClass === 'read').map((t) => t.name);
const TOKEN = 'test-token-0123456789abcdef-0123456789abcdef';

let db: Database;
/** A database URL for child processes (real server only; else they use the embedded sample city under HONUA_HOME). */
let databaseUrl: string | undefined;
let repoDir: string;

beforeAll(async () => {
  const t = await testDatabase({ sampleCity: true });
  db = t.db;
  databaseUrl = serverUrl() ? t.url : undefined;
  repoDir = await sampleCopy();
  await gitInit(repoDir);
});

const textOf = (result: CallToolResult): string =>
  result.content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Ends a child process this test started (by its pid), waiting at most a few seconds. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

describe('stdio: the built honua-ai mcp', () => {
  it('lists tools and answers calls, writing the audit log', async () => {
    const home = await tempDir('honua-mcp-home-');
    const audit = path.join(home, 'audit.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--repo', repoDir, '--mode', 'read-only', '--audit-log', audit, ...(databaseUrl ? ['--database-url', databaseUrl] : [])],
      env: { ...getDefaultEnvironment(), HONUA_HOME: home },
      cwd: home,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'honua-stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('honua');
      expect(client.getInstructions()).toMatch(/approval is a human decision/);
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(READ_TOOLS);

      const environments = (await client.callTool({ name: 'list_environments', arguments: {} })) as CallToolResult;
      expect(environments.isError, textOf(environments)).toBeFalsy();
      expect((environments.structuredContent?.environments as Array<{ name: string }>).map((e) => e.name)).toEqual(
        expect.arrayContaining(['development', 'staging', 'production']),
      );
      const validation = (await client.callTool({ name: 'validate_config', arguments: {} })) as CallToolResult;
      expect(validation.isError, textOf(validation)).toBeFalsy();
      expect(validation.structuredContent?.valid).toBe(true);
      if (databaseUrl) {
        const tables = (await client.callTool({ name: 'list_tables', arguments: {} })) as CallToolResult;
        expect(tables.isError, textOf(tables)).toBeFalsy();
        expect(JSON.stringify(tables.structuredContent)).toContain('public.street_trees');
      }
    } finally {
      await client.close();
    }
    expect(stderr).toMatch(/honua-ai mcp: read-only mode/);
    const lines = (await readFile(audit, 'utf8')).trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { tool: string; via: string; outcome: string; decision: string });
    expect(entries.map((e) => e.tool)).toEqual(['list_environments', 'validate_config', ...(databaseUrl ? ['list_tables'] : [])]);
    for (const e of entries) expect(e).toMatchObject({ via: 'mcp', outcome: 'ok', decision: 'allow' });
    if (databaseUrl) expect(lines.join('\n')).not.toContain(new URL(databaseUrl).password || '\u0000');
  });
});

describe('Streamable HTTP', () => {
  let http: RunningHttp;
  const audit = new MemoryAuditLog();

  beforeAll(async () => {
    const { engine } = consultant({ repoDir, db });
    const redactor = new Redactor();
    redactor.addSecret(TOKEN);
    http = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      newSession: () => createMcpServer({ tools: TOOLS, engine, mode: 'read-only', audit, redactor, actor: 'tester via http', version: '0.0.0-test' }).server,
    });
  });
  afterAll(async () => {
    await http.close();
  });

  const connect = async (headers: Record<string, string>): Promise<Client> => {
    const client = new Client({ name: 'honua-http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers } }));
    cleanups.push(() => client.close());
    return client;
  };

  it('lists tools and calls one with the bearer token', async () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect({ Authorization: `Bearer ${TOKEN}` });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(READ_TOOLS);
    const result = (await client.callTool({ name: 'list_environments', arguments: {} })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent?.repository).toBe(repoDir);
    expect(audit.entries.at(-1)).toMatchObject({ tool: 'list_environments', via: 'mcp', actor: 'tester via http', outcome: 'ok' });
  });

  it('gives each session its own server', async () => {
    const a = await connect({ Authorization: `Bearer ${TOKEN}` });
    const b = await connect({ Authorization: `Bearer ${TOKEN}` });
    await a.callTool({ name: 'list_environments', arguments: {} });
    await b.callTool({ name: 'list_environments', arguments: {} });
    const sessions = audit.entries.slice(-2).map((e) => e.session);
    expect(sessions[0]).not.toBe(sessions[1]);
  });

  it.each([
    ['without a token', {}],
    ['with a wrong token', { Authorization: 'Bearer not-the-token' }],
    ['with the token as Basic auth', { Authorization: `Basic ${TOKEN}` }],
  ])('refuses to connect %s (401)', async (_, headers: Record<string, string>) => {
    const before = audit.entries.length;
    const error = await connect(headers).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 401 });
    expect(audit.entries.length).toBe(before);
  });

  /** A raw request with any Host header (fetch cannot set Host). */
  const raw = (headers: Record<string, string>, body: string, pathname = '/mcp'): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(http.url);
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(port),
          path: pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });

  const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  const INITIALIZE = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });

  it('refuses a request whose Host is not the address it listens on (DNS rebinding), even with the token', async () => {
    const { port } = new URL(http.url);
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `localhost:${Number(port) + 1}`]) {
      const r = await raw({ host, authorization: `Bearer ${TOKEN}` }, INITIALIZE);
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/forbidden host/);
    }
    // The same request with a proper Host works, so it is the Host that was refused.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const ok = await raw({ host, authorization: `Bearer ${TOKEN}` }, INITIALIZE);
      expect(ok.status, host).toBe(200);
    }
  });

  it('answers other paths with 404, a first request that is not initialize with 400, bad JSON with 400', async () => {
    const { host } = new URL(http.url);
    expect((await raw({ host, authorization: `Bearer ${TOKEN}` }, INITIALIZE, '/other')).status).toBe(404);
    expect((await raw({ host, authorization: `Bearer ${TOKEN}` }, LIST)).status).toBe(400);
    expect((await raw({ host, authorization: `Bearer ${TOKEN}` }, '{not json')).status).toBe(400);
  });

  it('answers a body over 4 MiB with 413, whether its length is declared or it is streamed, and stays up', async () => {
    const { host } = new URL(http.url);
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { padding: 'x'.repeat(5 * 1024 * 1024) } });
    const declared = await raw({ host, authorization: `Bearer ${TOKEN}` }, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/over 4 MiB/);
    const streamed = await raw({ host, authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' }, big);
    expect(streamed.status).toBe(413);
    expect((await raw({ host, authorization: `Bearer ${TOKEN}` }, INITIALIZE)).status).toBe(200);
  });

  it('answers a fault of its own with 500 and no detail, logging it for the operator', async () => {
    const logged: string[] = [];
    const broken = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      log: (line) => logged.push(line),
      newSession: () => {
        throw new Error('the session factory broke at /secret/path');
      },
    });
    try {
      const { host, port } = new URL(broken.url);
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: Number(port),
            path: '/mcp',
            method: 'POST',
            headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` },
            timeout: 10_000,
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(INITIALIZE);
      });
      expect(r.status).toBe(500);
      expect(r.body).toContain('internal error');
      expect(r.body).not.toContain('/secret/path');
      expect(logged.join('\n')).toContain('the session factory broke');
    } finally {
      await broken.close();
    }
  });

  it('answers an unknown or ended session with 404, so the client initializes again (MCP 2025-06-18 §Session Management)', async () => {
    const { host } = new URL(http.url);
    expect((await raw({ host, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': 'no-such-session' }, LIST)).status).toBe(404);
    const client = new Client({ name: 'honua-http-session', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    await client.connect(transport);
    cleanups.push(() => client.close());
    const id = transport.sessionId;
    expect(id).toEqual(expect.any(String));
    expect((await raw({ host, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': id ?? '', 'mcp-protocol-version': '2025-06-18' }, LIST)).status).toBe(200);
    await transport.terminateSession();
    expect((await raw({ host, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': id ?? '', 'mcp-protocol-version': '2025-06-18' }, LIST)).status).toBe(404);
  });
});

describe('Streamable HTTP: elicitation', () => {
  /**
   * The standalone GET stream is optional for a client (MCP 2025-06-18 §Streamable HTTP,
   * "Listening for Messages from the Server": the client MAY issue a GET). The confirmation must
   * travel on the POST's own response stream, as a request related to the tools/call, or a
   * client without the GET stream is never asked and write_proposal hangs.
   */
  it.each([
    ['with', true],
    ['without', false],
  ])('asks the person through the tools/call response stream (client %s the GET stream)', async (_, getStream) => {
    const dir = await sampleCopy();
    await gitInit(dir);
    const { engine } = consultant({ repoDir: dir, db });
    const audit = new MemoryAuditLog();
    const http = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      newSession: () =>
        createMcpServer({ tools: TOOLS, engine, mode: 'propose', audit, redactor: new Redactor(), actor: 'tester via http', version: '0.0.0-test' }).server,
    });
    cleanups.push(() => http.close());
    const client = new Client({ name: 'honua-http-elicit', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++;
      return { action: 'accept', content: { allow: true } };
    });
    const transport = new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      // A client that does not listen on GET: the server answers 405 as far as it can tell.
      fetch: async (url, init) => (!getStream && (init?.method ?? 'GET') === 'GET' ? new Response(null, { status: 405 }) : fetch(url, init)),
    });
    await client.connect(transport);
    cleanups.push(() => client.close());
    const generated = (await client.callTool({ name: 'generate_layer', arguments: { table: 'street_trees', service: 'planning' } })) as CallToolResult;
    expect(generated.isError, textOf(generated)).toBeFalsy();
    const write = (await client.callTool(
      {
        name: 'write_proposal',
        arguments: { branch: 'feature/street-trees', message: 'Publish street trees', draftIds: [generated.structuredContent?.draftId] },
      },
      undefined,
      { timeout: 15_000 },
    )) as CallToolResult;
    expect(textOf(write)).not.toMatch(/^Refused|^Error/);
    expect(write.isError).toBeFalsy();
    expect(asked).toBe(1);
    expect(audit.entries.at(-1)).toMatchObject({ tool: 'write_proposal', outcome: 'ok', confirmedBy: expect.stringContaining('elicitation') });
  });
});

describe('Streamable HTTP: the real CLI', () => {
  it('starts honua-ai mcp --transport http, prints where it listens, and serves tools', async () => {
    const home = await tempDir('honua-mcp-home-');
    await writeFile(path.join(home, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [
        BIN,
        'mcp',
        '--transport',
        'http',
        '--port',
        '0',
        '--token-file',
        path.join(home, 'token'),
        '--repo',
        repoDir,
        '--audit-log',
        path.join(home, 'audit.jsonl'),
        ...(databaseUrl ? ['--database-url', databaseUrl] : []),
      ],
      { cwd: home, env: { PATH: process.env.PATH, HOME: home, HONUA_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    cleanups.push(() => stop(child));
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s; stderr:\n${stderr}`)), 20_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`honua-ai exited (${code}) before listening; stderr:\n${stderr}`));
      });
    });
    expect(stderr).not.toContain(TOKEN); // the token was given: it is not echoed
    const client = new Client({ name: 'honua-http-cli-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(READ_TOOLS);
      const result = (await client.callTool({ name: 'validate_config', arguments: {} })) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
    } finally {
      await client.close();
    }
    const unauthorized = new Client({ name: 'no-token', version: '1.0.0' });
    await expect(unauthorized.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toMatchObject({ code: 401 });
    await stop(child);
    expect(child.exitCode, stderr).toBe(0); // SIGTERM closes the server and the engine, then exits cleanly
    const lines = (await readFile(path.join(home, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { tool: string }).tool)).toEqual(['validate_config']);
  });
});

describe('MCP Inspector (CLI mode)', () => {
  /**
   * @modelcontextprotocol/inspector 2.x: `mcp-inspector --cli [options] <command> [args...]`
   * (bin clients/launcher/build/index.js, which forwards to clients/cli). Run with node on the
   * installed file, never npx; a stdio target needs no network, and CLI mode opens no browser.
   * HOME and the catalog path point into a temporary directory so nothing is read from or
   * written to the user's ~/.mcp-inspector.
   */
  it.runIf(existsSync(INSPECTOR))('lists the tools of honua-ai mcp and calls one', async () => {
    const home = await tempDir('honua-inspector-home-');
    const audit = path.join(home, 'audit.jsonl');
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      HONUA_HOME: home,
      MCP_CATALOG_PATH: path.join(home, 'mcp.json'),
      MCP_CLIENT_CONFIG_PATH: path.join(home, 'client.json'),
      NO_COLOR: '1',
      BROWSER: 'none',
    };
    const inspect = async (method: string[]) => {
      const r = await promisify(execFile)(
        process.execPath,
        [
          INSPECTOR,
          '--cli',
          '--format',
          'json',
          '--connect-timeout',
          '20000',
          ...method,
          '-e',
          `HONUA_HOME=${home}`,
          '--',
          process.execPath,
          BIN,
          'mcp',
          '--repo',
          repoDir,
          '--mode',
          'read-only',
          '--audit-log',
          audit,
        ],
        { cwd: home, env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      );
      return JSON.parse(r.stdout) as { result: Record<string, unknown> };
    };
    const listed = await inspect(['--method', 'tools/list']);
    const names = (listed.result.tools as Array<{ name: string }>).map((t) => t.name);
    expect(names).toEqual(READ_TOOLS);
    const called = await inspect(['--method', 'tools/call', '--tool-name', 'list_environments']);
    expect(called.result.isError).toBeFalsy();
    expect(called.result.structuredContent).toMatchObject({ repository: repoDir });
    const lines = (await readFile(audit, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { tool: string }).tool)).toEqual(['list_environments']);
  });
});

describe('Streamable HTTP: hardening', () => {
  const servers: RunningHttp[] = [];
  afterAll(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  const start = async (options: { maxSessions?: number; sessionIdleMs?: number; allowedOrigins?: string[] } = {}): Promise<RunningHttp> => {
    const { engine } = consultant({ repoDir, db });
    const http = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      newSession: () =>
        createMcpServer({ tools: TOOLS, engine, mode: 'read-only', audit: new MemoryAuditLog(), redactor: new Redactor(), actor: 'tester', version: '0' })
          .server,
      ...options,
    });
    servers.push(http);
    return http;
  };
  const post = (
    http: RunningHttp,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
    new Promise((resolve, reject) => {
      const { host, port } = new URL(http.url);
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(port),
          path: '/mcp',
          method: 'POST',
          headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}`, ...headers },
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const INIT = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });

  it('refuses a browser Origin that is not its own (DNS rebinding), even with the token and the right Host', async () => {
    const http = await start({ allowedOrigins: ['http://localhost:6274'] });
    const { port } = new URL(http.url);
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', 'https://127.0.0.1.nip.io']) {
      const r = await post(http, { origin }, INIT);
      expect(r.status, origin).toBe(403);
      expect(r.body).toMatch(/forbidden origin/);
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://localhost:6274'])
      expect((await post(http, { origin }, INIT)).status, origin).toBe(200);
    expect((await post(http, {}, INIT)).status).toBe(200); // no Origin: not a browser
  });

  it('caps the number of sessions, and ends one that stays idle', async () => {
    const http = await start({ maxSessions: 2, sessionIdleMs: 300 });
    const first = await post(http, {}, INIT);
    expect((await post(http, {}, INIT)).status).toBe(200);
    const third = await post(http, {}, INIT);
    expect(third.status).toBe(503);
    expect(third.body).toMatch(/too many MCP sessions/);
    const session = first.headers['mcp-session-id'] as string;
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await post(http, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }, LIST)).status).toBe(404);
    expect((await post(http, {}, INIT)).status).toBe(200); // room again
  });

  it('will not start with a short token', async () => {
    await expect(
      serveHttp({
        host: '127.0.0.1',
        port: 0,
        token: 'short-token',
        newSession: () => {
          throw new Error('unused');
        },
      }),
    ).rejects.toMatchObject({ code: 'weak-token' });
  });

  it('the CLI refuses --token on the command line, and writes a generated token to a private file without printing it', async () => {
    const home = await tempDir('honua-mcp-home-');
    const env = { PATH: process.env.PATH, HOME: home, HONUA_HOME: home };
    const refused = await promisify(execFile)(process.execPath, [BIN, 'mcp', '--transport', 'http', '--token', TOKEN, '--repo', repoDir], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--token puts the secret where every user of this machine can read it/);
    const child = spawn(process.execPath, [BIN, 'mcp', '--transport', 'http', '--port', '0', '--repo', repoDir], {
      cwd: home,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    cleanups.push(() => stop(child));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no token line; stderr:\n${stderr}`)), 20_000);
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/bearer token from/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const file = path.join(home, 'mcp', 'token');
    const token = (await readFile(file, 'utf8')).trim();
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect((await import('node:fs/promises').then((fs) => fs.stat(file))).mode & 0o777).toBe(0o600);
    expect(stderr).toContain(`bearer token from ${file}`);
    expect(stderr).not.toContain(token);
  });
});
