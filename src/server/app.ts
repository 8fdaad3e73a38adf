import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../db/index.js';
import { adminRoutes, type AdminOptions } from './admin/admin-routes.js';
import type { Maintenance } from './maintenance.js';
import type { ServerMetrics } from './metrics.js';
import { MEDIA } from './ogc/conformance-classes.js';
import { exceptionOf } from './ogc/ogc-error.js';
import { ogcRoutes } from './ogc/routes.js';
import type { Registry } from './registry.js';
import type { RegistryHolder } from './registry-holder.js';

/**
 * The HTTP application: the OGC API under its base path, the admin API under /admin/v1,
 * /metrics, /healthz and /readyz, on Fastify. Every request takes the registry current when it
 * arrives and gives it back when its response has been written to the end (or the client went
 * away), so a reload never changes what a request in flight reads. Built the same way for the
 * live server, for tests (inject) and for the verifier's probe of a candidate snapshot.
 */
export interface ServerAppOptions {
  holder: RegistryHolder;
  /** The OGC API's path prefix (default /ogc). */
  basePath?: string;
  /** The public root URL clients reach (behind a proxy); links are built from it. */
  baseUrl?: string | undefined;
  metrics?: ServerMetrics | undefined;
  /** The pools /readyz checks. */
  databases?: () => Promise<Database[]>;
  /** The admin API; absent: not served. */
  admin?: AdminOptions | undefined;
  /** Maintenance mode: data endpoints answer 503 with Retry-After while it is on. */
  maintenance?: Maintenance | undefined;
  /** Browser origins allowed to read the OGC API (default any: it serves public data; the admin API never answers CORS). */
  corsOrigins?: readonly string[] | undefined;
  log?: (line: string) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    registry: Registry;
  }
}

export async function createServerApp(options: ServerAppOptions): Promise<FastifyInstance> {
  const basePath = normalizeBasePath(options.basePath ?? '/ogc');
  const log = options.log ?? (() => undefined);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, return503OnClosing: true });
  const { holder, metrics } = options;

  app.decorateRequest('registry', null as unknown as Registry);
  app.addHook('onRequest', async (request, reply) => {
    const registry = holder.acquire();
    request.registry = registry;
    const started = process.hrtime.bigint();
    // 'close' fires once the response is written to the end, or the client went away mid-stream.
    reply.raw.once('close', () => {
      holder.release(registry);
      if (metrics) {
        const route = request.routeOptions.url ?? 'unmatched';
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.httpRequests.inc({ route, method: request.method, status: String(reply.raw.statusCode) });
        metrics.httpDuration.observe({ route, method: request.method }, seconds);
      }
    });
  });

  // Maintenance: features are not served (503, Retry-After); what describes the service still answers.
  const maintenance = options.maintenance;
  if (maintenance) {
    const data = new RegExp(`^${basePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/collections/[^/?]+/items(/|\\?|$)`);
    app.addHook('onRequest', async (request, reply) => {
      const state = maintenance.state;
      if (!state || !data.test(request.url)) return;
      return reply
        .code(503)
        .header('retry-after', String(state.retryAfterSeconds))
        .header('cache-control', 'no-store')
        .type(MEDIA.json)
        .send({ code: 'ServiceUnavailable', description: `the service is in maintenance since ${state.since}: ${state.reason}` });
    });
  }

  // The OGC API is public data: browsers on other origins may read it (GET only); the admin API never.
  const origins = options.corsOrigins;
  const isOgc = (url: string): boolean => {
    const p = url.split('?')[0] as string;
    if (p === '/admin' || p.startsWith('/admin/')) return false;
    return basePath === '' || p === basePath || p.startsWith(`${basePath}/`);
  };
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isOgc(request.url)) return payload;
    // The same URL answers JSON or HTML by Accept, and CORS by Origin: caches must key on both.
    const vary = String(reply.getHeader('vary') ?? '');
    reply.header('vary', [...new Set([...vary.split(',').map((v) => v.trim()), 'Accept', 'Origin'].filter(Boolean))].join(', '));
    const origin = request.headers.origin;
    if (origins === undefined || origins.includes('*')) reply.header('access-control-allow-origin', '*');
    else if (origin !== undefined && origins.includes(origin)) reply.header('access-control-allow-origin', origin);
    return payload;
  });

  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });

  app.setErrorHandler((error, _request, reply) => {
    const isClient = typeof (error as { statusCode?: number }).statusCode === 'number' && ((error as { statusCode: number }).statusCode ?? 500) < 500;
    if (isClient)
      return reply
        .code((error as { statusCode: number }).statusCode)
        .type(MEDIA.json)
        .send({ code: 'BadRequest', description: (error as Error).message });
    const { status, body } = exceptionOf(error);
    if (status >= 500) log(`server: ${(error as Error)?.stack ?? String(error)}`);
    return reply.code(status).type(MEDIA.json).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(MEDIA.json)
      .send({ code: 'NotFound', description: `nothing at ${request.url.split('?')[0]}; the OGC API is at ${basePath}, the admin API at /admin/v1` }),
  );

  await app.register(async (scope) => ogcRoutes(scope, { basePath, baseUrl: options.baseUrl, log }));
  if (options.admin) {
    const admin = options.admin;
    await app.register(async (scope) => adminRoutes(scope, admin));
  }

  // The process answers (liveness).
  app.get('/healthz', async (_request, reply) => reply.type(MEDIA.json).send({ status: 'ok' }));

  // A registry is loaded and every database it reads answers (readiness).
  app.get('/readyz', async (request, reply) => {
    const registry = request.registry;
    const databases = options.databases ? await options.databases() : [...new Set([...registry.collections.values()].map((c) => c.database))];
    const problems: string[] = [];
    await Promise.all(
      databases.map(async (db) => {
        try {
          await withTimeout(db.query('SELECT 1'), 2000);
        } catch (error) {
          // The detail (hosts, users, the driver's words) goes to the log; /readyz needs no token and says less.
          log(`readyz: ${db.description}: ${(error as Error).message}`);
          problems.push('a database does not answer');
        }
      }),
    );
    const inMaintenance = options.maintenance?.state;
    if (inMaintenance) problems.push(`in maintenance: ${inMaintenance.reason}`);
    const body = {
      status: problems.length === 0 ? 'ready' : 'not ready',
      environment: registry.environment,
      snapshot: registry.id,
      commit: registry.commit,
      source: registry.source,
      collections: registry.collections.size,
      ...(problems.length ? { problems } : {}),
    };
    return reply
      .code(problems.length === 0 ? 200 : 503)
      .type(MEDIA.json)
      .send(body);
  });

  if (metrics) {
    app.get('/metrics', async (_request, reply) => {
      metrics.collections.set(holder.current.collections.size);
      return reply.type(metrics.registry.contentType).send(await metrics.text());
    });
  }
  return app;
}

export function normalizeBasePath(p: string): string {
  const trimmed = `/${p.replace(/^\/+|\/+$/g, '')}`;
  return trimmed === '/' ? '' : trimmed;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
