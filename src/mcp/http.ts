import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { HonuaError, isHonuaError } from '../errors/index.js';

/**
 * MCP over Streamable HTTP (MCP 2025-06-18 §Transports) at /mcp. It listens on 127.0.0.1 unless
 * told otherwise and, on every request:
 *   - checks `Origin` when a browser sends one (MCP 2025-06-18 §Transports, Security Warning:
 *     "Servers MUST validate the Origin header ... to prevent DNS rebinding attacks"), and the
 *     Host header against the address it listens on;
 *   - requires `Authorization: Bearer <token>`, a token of at least 32 characters, compared in
 *     constant time.
 * Each MCP session gets its own server (and so its own gate, drafts and audit session id);
 * sessions are capped in number and end after a time without requests.
 */
export interface HttpOptions {
  host: string;
  port: number;
  token: string;
  newSession: () => Server;
  log?: (line: string) => void;
  /** Origins allowed besides the server's own loopback ones (e.g. http://localhost:6274 for the Inspector). */
  allowedOrigins?: readonly string[];
  /** At most this many sessions at once (default 16). */
  maxSessions?: number;
  /** A session with no request for this long ends (default 30 minutes). */
  sessionIdleMs?: number;
}

/** The shortest bearer token accepted: 32 characters (a generated one has 43, 256 bits). */
export const MIN_TOKEN_LENGTH = 32;

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

function deny(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

/** The largest request body the endpoint reads; a proposal's files fit many times over. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const tooLarge = () => new HonuaError('body-too-large', `the request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  // A declared length over the limit is refused before a byte is read.
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new HonuaError('body-not-json', 'the body is not JSON', { cause: error });
  }
}

export async function serveHttp(options: HttpOptions): Promise<RunningHttp> {
  if (options.token.length < MIN_TOKEN_LENGTH) {
    throw new HonuaError('weak-token', `the MCP bearer token has ${options.token.length} characters; at least ${MIN_TOKEN_LENGTH} are required`, {
      hint: 'Leave HONUA_MCP_TOKEN unset to have one generated, or use e.g. `openssl rand -base64 32`.',
    });
  }
  const maxSessions = options.maxSessions ?? 16;
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server; seen: number }>();
  let allowedHosts: Set<string> = new Set();
  let allowedOrigins: Set<string> = new Set();
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, s] of sessions) {
        if (now - s.seen > idleMs) {
          sessions.delete(id);
          void s.transport.close().catch(() => undefined);
          options.log?.(`mcp http: session ${id.slice(0, 8)} ended after ${Math.round(idleMs / 60_000)} minutes without a request`);
        }
      }
    },
    Math.min(idleMs, 60_000),
  );
  sweep.unref();
  const http: HttpServer = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') return deny(res, 404, 'not found: the MCP endpoint is /mcp');
      if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) return deny(res, 403, 'forbidden host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return deny(res, 403, 'forbidden origin');
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
      if (!token || !sameToken(token, options.token))
        return deny(res, 401, 'a bearer token is required (Authorization: Bearer <token>)', { 'www-authenticate': 'Bearer realm="honua-mcp"' });
      const sessionId = req.headers['mcp-session-id'];
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (session) session.seen = Date.now();
      if (!session) {
        // MCP 2025-06-18 §Session Management: an unknown or ended session is 404, which tells the client to initialize again.
        if (typeof sessionId === 'string') return deny(res, 404, 'unknown or expired session: send initialize again');
        if (req.method !== 'POST' || !isInitializeRequest(body)) return deny(res, 400, 'no session: send initialize first');
        if (sessions.size >= maxSessions)
          return deny(res, 503, `too many MCP sessions (${maxSessions}); end one (HTTP DELETE) or wait for an idle one to expire`, { 'retry-after': '60' });
        const server = options.newSession();
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, { transport, server, seen: Date.now() }),
        });
        transport.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
        };
        await server.connect(transport);
        session = { transport, server, seen: Date.now() };
      }
      await session.transport.handleRequest(req, res, body);
    } catch (error) {
      // The client's mistakes are answered with their status (400, 413); anything else is Honua's fault, a 500 that says no more.
      const known = isHonuaError(error) && error.fault !== 'system';
      options.log?.(`mcp http: ${known ? '' : 'internal error: '}${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent)
        deny(
          res,
          known ? error.httpStatus : 500,
          known ? error.message : 'internal error',
          known && error.code === 'body-too-large' ? { connection: 'close' } : {},
        );
      // A body too large is not read to its end: once the answer is out, the connection goes.
      if (known && error.code === 'body-too-large') {
        const socket = req.socket;
        res.once('finish', () => socket?.destroy());
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new HonuaError(
              'listen-failed',
              `cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
              { hint: 'Pick another --port (0 picks a free one).', cause: error },
            )
          : error,
      ),
    );
    http.listen(options.port, options.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`].map((h) => h.toLowerCase()));
  allowedOrigins = new Set([...[...allowedHosts].map((h) => `http://${h}`), ...(options.allowedOrigins ?? [])].map((o) => o.toLowerCase().replace(/\/$/, '')));
  return {
    url: `http://${hostPart}:${port}/mcp`,
    close: async () => {
      clearInterval(sweep);
      for (const { transport } of sessions.values()) await transport.close().catch(() => undefined);
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
