import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { streamBatches } from '../../db/index.js';
import type { Collection, Registry } from '../registry.js';
import { baseUrl, encodeId } from './base-url.js';
import { CONFORMANCE, MEDIA } from './conformance-classes.js';
import { collectionDocument, collectionsDocument, conformanceDocument, landingDocument, type Link } from './documents.js';
import { apiHtml, collectionHtml, collectionsHtml, conformanceHtml, itemHtml, itemsHtml, landingHtml } from './html.js';
import { encodeCursor, findCrs, type ItemsQuery, parseItemsQuery } from './items-query.js';
import { itemSql, itemsSql } from './items-sql.js';
import { exceptionOf, invalidParameter, isDataException, notFound } from './ogc-error.js';
import { openApiDocument } from './openapi.js';

/**
 * The OGC API - Features routes under the base path. Each request answers from the registry it
 * was given when it started (request.registry), whatever a reload swaps in meanwhile.
 */
export interface OgcOptions {
  basePath: string;
  baseUrl?: string | undefined;
}

const params = (request: FastifyRequest): URLSearchParams => new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '');

/** json unless f=html, or a browser asks for HTML before JSON. */
function wantsHtml(request: FastifyRequest, p: URLSearchParams): boolean {
  const f = p.get('f');
  if (f !== null) return f === 'html';
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = Math.min(
    ...['application/json', 'application/geo+json', 'application/vnd.oai.openapi+json'].map((m) => accept.indexOf(m)).filter((i) => i >= 0),
    Infinity,
  );
  return html >= 0 && html < json;
}

/** Resources other than items take only `f` (/req/core/query-param-unknown). */
function onlyF(p: URLSearchParams, json: string[] = ['json']): void {
  for (const name of p.keys()) if (name !== 'f') throw invalidParameter(`unknown parameter "${name}"; this resource takes only f`);
  const f = p.get('f');
  if (f !== null && f !== 'html' && !json.includes(f)) throw invalidParameter(`f "${f}" is not ${[...json, 'html'].join(' or ')}`);
}

/** A collection by its id (service::layer), or by a layer name no other service uses (health checks written as /collections/parcels). */
export function collectionOf(r: Registry, id: string): Collection {
  const c = r.collections.get(id);
  if (c) return c;
  const byName = [...r.collections.values()].filter((x) => x.layer.name === id);
  if (byName.length === 1) return byName[0] as Collection;
  throw notFound(`there is no collection "${id}"; /collections lists ${r.collections.size}`);
}

function sendException(reply: FastifyReply, error: unknown, log: (line: string) => void): FastifyReply {
  const { status, body } = exceptionOf(error);
  if (status >= 500) log(`ogc: ${(error as Error)?.stack ?? String(error)}`);
  // Cache headers may have been set for the page: an exception is never cached, nor validated by that ETag.
  reply.removeHeader('etag');
  reply.removeHeader('content-crs');
  return reply.code(status).header('cache-control', 'no-store').type(MEDIA.json).send(body);
}

/** A weak validator for a layer with a cache TTL: the same snapshot, URL and TTL window (/rec/core/etag). */
function cacheHeaders(reply: FastifyReply, request: FastifyRequest, c: Collection): boolean {
  if (c.cacheTtlSeconds === undefined || c.cacheTtlSeconds <= 0) {
    reply.header('cache-control', 'no-cache');
    return false;
  }
  const bucket = Math.floor(Date.now() / (c.cacheTtlSeconds * 1000));
  const etag = `W/"${createHash('sha1').update(`${request.registry.id}|${request.raw.url}|${bucket}`).digest('base64url').slice(0, 22)}"`;
  reply.header('etag', etag).header('cache-control', `public, max-age=${Math.round(c.cacheTtlSeconds)}`);
  return request.headers['if-none-match'] === etag;
}

/**
 * Exact counts are given only within the layer's budget: a count that takes longer is left out, never guessed. On
 * the server's count pool the budget is the connections' statement timeout (one round trip); elsewhere a
 * transaction sets it.
 */
async function exactCount(c: Collection, count: { sql: string; params: unknown[] }): Promise<number | undefined> {
  try {
    if (c.counter) {
      const r = await c.counter.database.query<{ n: number | string }>(count.sql, count.params);
      return Number(r.rows[0]?.n ?? 0);
    }
    return await c.database.transaction(async (tx) => {
      await tx.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(c.countBudgetMs))}`);
      const r = await tx.query<{ n: number | string }>(count.sql, count.params);
      return Number(r.rows[0]?.n ?? 0);
    });
  } catch {
    return undefined;
  }
}

/** Where a page is (its cursor or offset), for a link to the same page in another format. */
const position = (q: ItemsQuery): Array<[string, string]> =>
  q.cursor ? [['cursor', encodeCursor(q.cursor)]] : q.offset !== undefined ? [['offset', String(q.offset)]] : [];

function pageLinks(c: Collection, base: string, q: ItemsQuery, self: string, first: unknown, last: unknown, more: boolean): Link[] {
  const href = `${base}/collections/${encodeId(c.id)}/items`;
  const withParams = (extra: Array<[string, string]>): string => {
    const all = [...q.kept, ...extra];
    return all.length ? `${href}?${new URLSearchParams(all).toString()}` : href;
  };
  const links: Link[] = [
    { href: self, rel: 'self', type: MEDIA.geojson, title: 'this document' },
    { href: withParams([...position(q), ['f', 'html']]), rel: 'alternate', type: MEDIA.html, title: 'this document as HTML' },
    { href: `${base}/collections/${encodeId(c.id)}`, rel: 'collection', type: MEDIA.json, title: c.title },
  ];
  // next and prev keep every filter, as plain k=v pairs (/req/core/fc-next-1).
  if (q.offset !== undefined) {
    if (more) links.push({ href: withParams([['offset', String(q.offset + q.limit)]]), rel: 'next', type: MEDIA.geojson, title: 'the next page' });
    if (q.offset > 0)
      links.push({ href: withParams([['offset', String(Math.max(0, q.offset - q.limit))]]), rel: 'prev', type: MEDIA.geojson, title: 'the previous page' });
    return links;
  }
  if (more && last !== undefined)
    links.push({ href: withParams([['cursor', encodeCursor({ after: last as string | number })]]), rel: 'next', type: MEDIA.geojson, title: 'the next page' });
  if (q.cursor && first !== undefined)
    links.push({
      href: withParams([['cursor', encodeCursor({ before: first as string | number })]]),
      rel: 'prev',
      type: MEDIA.geojson,
      title: 'the previous page',
    });
  return links;
}

const leafletDir = (): string | undefined => {
  try {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
};

export async function ogcRoutes(app: FastifyInstance, options: OgcOptions & { log: (line: string) => void }): Promise<void> {
  const { basePath, log } = options;
  const base = (request: FastifyRequest): string => baseUrl(request, options.baseUrl, basePath);
  // A Buffer keeps the media type exactly as written (a string body would have Fastify rewrite it as version="3.0"; charset=utf-8).
  const json = (reply: FastifyReply, body: unknown, type: string = MEDIA.json) => reply.header('content-type', type).send(Buffer.from(JSON.stringify(body)));
  const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').send(body);
  const handle =
    (fn: (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => Promise<unknown> | unknown) =>
    async (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply) => {
      try {
        return await fn(request, reply);
      } catch (error) {
        return sendException(reply, error, log);
      }
    };

  /** A resource that takes only `f` and answers JSON or its HTML alternate. */
  const resource = (
    url: string,
    render: (request: FastifyRequest<{ Params: Record<string, string> }>) => { json: () => unknown; html: () => string; type?: string },
    formats: string[] = ['json'],
  ) =>
    app.get(
      url,
      handle((request, reply) => {
        const p = params(request);
        onlyF(p, formats);
        const r = render(request);
        return wantsHtml(request, p) ? html(reply, r.html()) : json(reply, r.json(), r.type);
      }),
    );

  // /req/core/root-op
  for (const url of [basePath, `${basePath}/`]) {
    resource(url, (request) => ({
      json: () => landingDocument(request.registry, base(request)),
      html: () => landingHtml(request.registry, base(request)),
    }));
  }

  // /req/core/conformance-op
  resource(`${basePath}/conformance`, (request) => {
    const doc = conformanceDocument();
    return { json: () => doc, html: () => conformanceHtml(base(request), doc.conformsTo as string[]) };
  });

  // /req/oas30/oas-impl: the definition, typed as OpenAPI 3.0 JSON.
  resource(
    `${basePath}/api`,
    (request) => {
      const doc = openApiDocument(request.registry, base(request));
      return { json: () => doc, html: () => apiHtml(base(request), Object.keys(doc.paths as object)), type: MEDIA.openapi };
    },
    ['json', 'openapi'],
  );

  // /req/core/fc-md-op
  resource(`${basePath}/collections`, (request) => ({
    json: () => collectionsDocument(request.registry, base(request)),
    html: () => collectionsHtml(request.registry, base(request)),
  }));

  // /req/core/sc-md-op
  resource(`${basePath}/collections/:collectionId`, (request) => {
    const c = collectionOf(request.registry, request.params.collectionId as string);
    return { json: () => collectionDocument(c, base(request)), html: () => collectionHtml(c, base(request)) };
  });

  // /req/core/fc-op: a page of features, written as the rows arrive.
  app.get(
    `${basePath}/collections/:collectionId/items`,
    handle(async (request, reply) => {
      const c = collectionOf(request.registry, request.params.collectionId as string);
      const p = params(request);
      const q = parseItemsQuery(c, p, wantsHtml(request, p));
      if (cacheHeaders(reply, request, c)) return reply.code(304).send();
      const { sql, params: values, reversed, count } = itemsSql(c, q);
      const counted = exactCount(c, count);
      const self = `${base(request)}/collections/${encodeId(c.id)}/items${p.toString() ? `?${p.toString()}` : ''}`;
      // Batches of limit + 2 rows: a page (with its one extra row) comes in one read that also ends the cursor, so there
      // is no round trip to close it; pages over 2,000 stream in batches of 2,002.
      const batches = streamBatches<{ id: unknown; f: string }>(c.database, sql, values, { batchSize: Math.min(q.limit + 2, 2002) })[Symbol.asyncIterator]();
      // However the response ends — written, or the client gone before the body even started, even before the first
      // batch came — the cursor is closed and its connection given back (a body generator that never started would
      // not run its finally). Registered before the first read: a client that leaves while the query waits for a
      // connection must not leave a cursor open.
      reply.raw.once('close', () => void batches.return?.(undefined).catch(() => undefined));
      // The first batch is read before anything is sent: a failing query is an exception, not a cut-off body.
      const first = await batches.next();
      reply.header('content-crs', `<${q.crs.uri}>`);
      if (q.format === 'html' || reversed) {
        const all: Array<{ id: unknown; f: string }> = [];
        try {
          for (let b = first; !b.done; b = await batches.next()) all.push(...b.value);
        } finally {
          await batches.return?.();
        }
        const more = all.length > q.limit;
        const page = reversed ? all.slice(0, q.limit).reverse() : all.slice(0, q.limit);
        const links = pageLinks(c, base(request), q, self, page[0]?.id, page.at(-1)?.id, more || reversed);
        if (reversed) {
          // Came back from a later page: there is always a next one; there is a previous one only when rows were left over.
          const prevIndex = links.findIndex((l) => l.rel === 'prev');
          if (!more && prevIndex >= 0) links.splice(prevIndex, 1);
        }
        if (q.format === 'html')
          return html(
            reply,
            itemsHtml(
              c,
              base(request),
              page.map((r) => r.f),
              links,
            ),
          );
        const matched = await counted;
        return reply
          .type(MEDIA.geojson)
          .send(
            `{"type":"FeatureCollection","features":[${page.map((r) => r.f).join(',')}],"numberReturned":${page.length}${matched !== undefined ? `,"numberMatched":${matched}` : ''},"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links)}}`,
          );
      }
      async function* body(): AsyncGenerator<string> {
        let buffer = '{"type":"FeatureCollection","features":[';
        let n = 0;
        let firstId: unknown;
        let lastId: unknown;
        let more = false;
        try {
          for (let b = first; !b.done; b = await batches.next()) {
            for (const row of b.value) {
              // The query fetched limit + 1 rows: the extra one only says there is a next page.
              if (n === q.limit) {
                more = true;
                break;
              }
              if (n === 0) firstId = row.id;
              lastId = row.id;
              buffer += n === 0 ? row.f : `,${row.f}`;
              n++;
            }
            // One write per batch (at most 1,000 features): a write per feature would cost more than the query.
            yield buffer;
            buffer = '';
          }
        } finally {
          // Also when the client goes away mid-page: the cursor is closed and its connection goes back to the pool.
          await batches.return?.();
        }
        const matched = await counted;
        const links = pageLinks(c, base(request), q, self, firstId, lastId, more);
        yield `${buffer}],"numberReturned":${n}${matched !== undefined ? `,"numberMatched":${matched}` : ''},"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links)}}`;
      }
      return reply.type(MEDIA.geojson).send(Readable.from(body()));
    }),
  );

  // /req/core/f-op
  app.get(
    `${basePath}/collections/:collectionId/items/:featureId`,
    handle(async (request, reply) => {
      const c = collectionOf(request.registry, request.params.collectionId as string);
      const p = params(request);
      for (const name of p.keys()) if (name !== 'f' && name !== 'crs') throw invalidParameter(`unknown parameter "${name}"; a feature takes crs and f`);
      const crs = p.get('crs') === null ? (c.crs[0] as Collection['crs'][number]) : findCrs(c, p.get('crs') as string, 'crs');
      const raw = request.params.featureId as string;
      if (c.idType === 'integer' && !/^-?\d{1,19}$/.test(raw)) throw notFound(`${c.id} has no feature "${raw}"`);
      if (raw.includes('\u0000')) throw notFound(`${c.id} has no feature "${raw}"`);
      // The id goes as text and PostgreSQL reads it as the column's type: exact for any bigint, and an id that
      // cannot be of that type (out of range, not a uuid) is simply not there.
      const { sql, params: values } = itemSql(c, crs, raw);
      let row: { f: string } | undefined;
      try {
        row = (await c.database.query<{ f: string }>(sql, values)).rows[0];
      } catch (error) {
        if (isDataException(error)) throw notFound(`${c.id} has no feature "${raw}"`);
        throw error;
      }
      if (!row) throw notFound(`${c.id} has no feature "${raw}"`);
      if (cacheHeaders(reply, request, c)) return reply.code(304).send();
      reply.header('content-crs', `<${crs.uri}>`);
      if (wantsHtml(request, p)) return html(reply, itemHtml(c, base(request), row.f));
      const href = `${base(request)}/collections/${encodeId(c.id)}/items/${encodeURIComponent(raw)}`;
      const links: Link[] = [
        { href, rel: 'self', type: MEDIA.geojson, title: 'this document' },
        { href: `${href}?f=html`, rel: 'alternate', type: MEDIA.html, title: 'this document as HTML' },
        { href: `${base(request)}/collections/${encodeId(c.id)}`, rel: 'collection', type: MEDIA.json, title: c.title },
      ];
      return reply.type(MEDIA.geojson).send(`${row.f.slice(0, -1)},"links":${JSON.stringify(links)}}`);
    }),
  );

  // Leaflet for the HTML map pages, from node_modules.
  const leaflet = leafletDir();
  app.get(`${basePath}/static/leaflet/*`, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (!leaflet || !/^[a-z0-9._-]+(\/[a-z0-9._-]+)?$/i.test(file) || file.includes('..')) return reply.code(404).send();
    const full = path.join(leaflet, file);
    if (!existsSync(full) || !statSync(full).isFile()) return reply.code(404).send();
    const type = file.endsWith('.css')
      ? 'text/css'
      : file.endsWith('.js')
        ? 'text/javascript'
        : file.endsWith('.png')
          ? 'image/png'
          : 'application/octet-stream';
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(createReadStream(full));
  });

  void CONFORMANCE;
}
