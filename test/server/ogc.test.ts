import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../src/db/postgres.js';
import { CONFORMANCE, CRS84 } from '../../src/server/index.js';
import { type ServerSetup, serverSetup } from '../helpers/server.js';

/**
 * OGC API - Features Part 1 and Part 2 against the sample city deployed to development, on the
 * real PostgreSQL + PostGIS: every answer compared with what SQL says of the same rows.
 */
let t: ServerSetup | undefined;
let db: PostgresDatabase;
const EPSG4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const EPSG3857 = 'http://www.opengis.net/def/crs/EPSG/0/3857';
const STOPS = '/ogc/collections/transportation::transit-stops';
const ZONING = '/ogc/collections/planning::zoning';
const PARCELS = '/ogc/collections/planning::parcels';

interface Page {
  type: string;
  features: Array<{ id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }>;
  numberReturned: number;
  numberMatched?: number;
  timeStamp: string;
  links: Array<{ rel: string; href: string; type: string }>;
}

const page = async (url: string): Promise<Page> => {
  const r = await (t as ServerSetup).get(url);
  expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
  return JSON.parse(r.body) as Page;
};
const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n);
/** A link's href as a path the in-process app answers. */
const local = (href: string): string => href.replace(/^https?:\/\/[^/]+/, '');
const linkOf = (p: { links: Page['links'] }, rel: string) => p.links.find((l) => l.rel === rel);

/** Every feature, following next from the first page. */
async function walk(first: string, maxPages = 200): Promise<{ ids: number[]; pages: Page[] }> {
  const pages: Page[] = [];
  let next: string | undefined = first;
  while (next && pages.length < maxPages) {
    const p = await page(next);
    pages.push(p);
    next = linkOf(p, 'next') ? local((linkOf(p, 'next') as { href: string }).href) : undefined;
  }
  return { ids: pages.flatMap((p) => p.features.map((f) => f.id)), pages };
}

beforeAll(async () => {
  t = await serverSetup();
  if (t) db = new PostgresDatabase({ connectionString: t.url, max: 2 });
}, 120_000);
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('OGC API - Features: the resources', () => {
  it('landing page: self, service-desc typed as OpenAPI 3.0, conformance and data, every link typed (/req/core/root-success)', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    for (const url of ['/ogc', '/ogc/']) {
      const r = await t.get(url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const doc = JSON.parse(r.body) as { links: Array<{ rel: string; type: string; href: string }> };
      const byRel = Object.fromEntries(doc.links.map((l) => [l.rel, l]));
      expect(byRel['service-desc']?.type).toBe('application/vnd.oai.openapi+json;version=3.0');
      expect(byRel.conformance?.type).toBe('application/json');
      expect(byRel.data?.type).toBe('application/json');
      expect(byRel.self).toBeDefined();
      expect(doc.links.every((l) => typeof l.type === 'string' && l.href.startsWith('http'))).toBe(true);
    }
  });

  it('conformance declares core, geojson, oas30, html and crs', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const doc = await t.json('/ogc/conformance');
    expect(doc.conformsTo).toEqual(expect.arrayContaining([CONFORMANCE.core, CONFORMANCE.geojson, CONFORMANCE.oas30, CONFORMANCE.html, CONFORMANCE.crs]));
  });

  it('the OpenAPI 3.0 document: one items path per collection, limit with minimum, maximum (the itemLimit) and default, its queryables as parameters', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const r = await t.get('/ogc/api');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.oai.openapi+json;version=3.0');
    const api = JSON.parse(r.body) as {
      openapi: string;
      paths: Record<string, { get: { parameters: Array<{ name?: string; $ref?: string; schema?: Record<string, unknown> }> } }>;
    };
    expect(api.openapi).toMatch(/^3\.0\./);
    const items = api.paths['/collections/planning::zoning/items'];
    expect(items).toBeDefined();
    const limit = items?.get.parameters.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    const stops = api.paths['/collections/transportation::transit-stops/items']?.get.parameters.map((p) => p.name);
    expect(stops).toEqual(expect.arrayContaining(['limit', 'bbox', 'datetime', 'crs', 'bbox-crs', 'mode', 'stop_name', 'wheelchair_accessible']));
    expect(Object.keys(api.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/planning::parcels/items/{featureId}']));
  });

  it('collections: ids service::layer, items links typed exactly, an extent, itemType feature, crs with CRS84 and storageCrs', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const doc = (await t.json('/ogc/collections')) as { collections: Array<Record<string, unknown>> };
    expect(doc.collections.map((c) => c.id).sort()).toEqual([
      'planning::parcels',
      'planning::zoning',
      'transportation::bike-lanes',
      'transportation::transit-stops',
    ]);
    for (const c of doc.collections) {
      const one = await t.json(`/ogc/collections/${String(c.id)}`);
      expect(one.id).toBe(c.id);
      expect(one.itemType).toBe('feature');
      const links = one.links as Array<{ rel: string; type: string }>;
      expect(links.filter((l) => l.rel === 'items').map((l) => l.type)).toEqual(['application/geo+json', 'text/html']);
      const bbox = ((one.extent as { spatial: { bbox: number[][] } }).spatial.bbox[0] ?? []) as number[];
      expect(bbox).toHaveLength(4);
      // The sample city is Portland, Oregon.
      expect(bbox[0]).toBeGreaterThan(-123.5);
      expect(bbox[2]).toBeLessThan(-122);
      expect(one.crs).toEqual(expect.arrayContaining([CRS84, EPSG4326, EPSG3857]));
      expect(one.storageCrs).toBe(CRS84);
    }
    const missing = await t.get('/ogc/collections/nothing::here');
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'NotFound' });
  });
});

describe('OGC API - Features: items', () => {
  it('a page: FeatureCollection, numberReturned, an exact numberMatched, timeStamp, Content-Crs; limit above the maximum is clamped', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const r = await t.get(`${STOPS}/items?limit=5`);
    expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(r.headers['content-crs']).toBe(`<${CRS84}>`);
    const p = JSON.parse(r.body) as Page;
    expect(p.type).toBe('FeatureCollection');
    expect(p.numberReturned).toBe(5);
    expect(p.features).toHaveLength(5);
    expect(p.numberMatched).toBe(await count('SELECT count(*) AS n FROM transit_stops'));
    expect(Math.abs(Date.parse(p.timeStamp) - Date.now())).toBeLessThan(60_000);
    expect(p.features[0]?.geometry.type).toBe('Point');
    const clamped = await page(`${ZONING}/items?limit=100000`);
    expect(clamped.numberReturned).toBe(await count('SELECT count(*) AS n FROM zoning'));
    const parcels = await page(`${PARCELS}/items?limit=100000`);
    expect(parcels.numberReturned).toBe(await count('SELECT count(*) AS n FROM parcels'));
    const defaulted = await page(`${PARCELS}/items`);
    expect(defaulted.numberReturned).toBe(100);
  });

  it('next links page by id and add up to numberMatched; prev goes back; every filter is kept', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const all = await walk(`${STOPS}/items?limit=7`);
    const total = await count('SELECT count(*) AS n FROM transit_stops');
    expect(all.ids).toHaveLength(total);
    expect(new Set(all.ids).size).toBe(total);
    expect([...all.ids].sort((a, b) => a - b)).toEqual(all.ids);
    // prev from the third page is the second.
    const third = all.pages[2] as Page;
    const back = await page(local((linkOf(third, 'prev') as { href: string }).href));
    expect(back.features.map((f) => f.id)).toEqual((all.pages[1] as Page).features.map((f) => f.id));
    expect(linkOf(back, 'next')).toBeDefined();
    // With a filter: every link keeps it, and the pages add up to the filtered count.
    const buses = await walk(`${STOPS}/items?limit=10&mode=bus`);
    const first = buses.pages[0] as Page;
    expect(linkOf(first, 'next')?.href).toContain('mode=bus');
    expect(buses.ids).toHaveLength(await count("SELECT count(*) AS n FROM transit_stops WHERE mode = 'bus'"));
    expect(first.numberMatched).toBe(buses.ids.length);
    expect(buses.pages.every((p) => p.features.every((f) => f.properties.mode === 'bus'))).toBe(true);
    // OFFSET paging as a fallback adds up too.
    const byOffset = await walk(`${STOPS}/items?limit=50&offset=0`);
    expect(byOffset.ids).toEqual(all.ids);
  });

  it('bbox with 4 and 6 values, bbox-crs in EPSG:3857, and a box across the antimeridian (200, nothing in it)', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const box = [-122.7, 45.5, -122.6, 45.55];
    const expected = await count('SELECT count(*) AS n FROM transit_stops WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))', box);
    expect(expected).toBeGreaterThan(0);
    expect((await walk(`${STOPS}/items?limit=1000&bbox=${box.join(',')}`)).ids).toHaveLength(expected);
    expect((await page(`${STOPS}/items?limit=1000&bbox=${box[0]},${box[1]},0,${box[2]},${box[3]},100`)).numberReturned).toBe(expected);
    const merc = (
      await db.query<{ x1: number; y1: number; x2: number; y2: number }>(
        'SELECT ST_XMin(b) x1, ST_YMin(b) y1, ST_XMax(b) x2, ST_YMax(b) y2 FROM (SELECT ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), 3857) b) x',
        box,
      )
    ).rows[0] as { x1: number; y1: number; x2: number; y2: number };
    const inMerc = await page(`${STOPS}/items?limit=1000&bbox=${merc.x1},${merc.y1},${merc.x2},${merc.y2}&bbox-crs=${encodeURIComponent(EPSG3857)}`);
    expect(inMerc.numberReturned).toBe(expected);
    const anti = await page(`${STOPS}/items?bbox=177,65,-177,70`);
    expect(anti.numberReturned).toBe(0);
    expect(anti.numberMatched).toBe(0);
    // In EPSG:4326 a bbox is written latitude first.
    const latFirst = await page(`${STOPS}/items?limit=1000&bbox=${box[1]},${box[0]},${box[3]},${box[2]}&bbox-crs=${encodeURIComponent(EPSG4326)}`);
    expect(latFirst.numberReturned).toBe(expected);
  });

  it('datetime: instants and intervals with .. on the temporal field, compared with SQL', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const dates = (await db.query<{ d: string }>("SELECT to_char(adopted, 'YYYY-MM-DD') AS d FROM zoning WHERE adopted IS NOT NULL ORDER BY adopted")).rows.map(
      (r) => r.d,
    );
    expect(dates.length).toBeGreaterThan(2);
    const mid = dates[Math.floor(dates.length / 2)] as string;
    const cases: Array<[string, string, unknown[]]> = [
      [mid, 'adopted = $1::date', [mid]],
      [`${mid}/..`, 'adopted >= $1::date', [mid]],
      [`../${mid}`, 'adopted <= $1::date', [mid]],
      [`${dates[0]}/${mid}`, 'adopted BETWEEN $1::date AND $2::date', [dates[0], mid]],
      [`${mid}T00:00:00Z/..`, 'adopted >= $1::date', [mid]],
    ];
    for (const [datetime, where, params] of cases) {
      const p = await page(`${ZONING}/items?limit=500&datetime=${encodeURIComponent(datetime)}`);
      expect(p.numberReturned, datetime).toBe(await count(`SELECT count(*) AS n FROM zoning WHERE ${where}`, params));
    }
  });

  it('equality filters on declared properties, typed; a value is data, never SQL', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const accessible = await walk(`${STOPS}/items?limit=100&wheelchair_accessible=true`);
    expect(accessible.ids).toHaveLength(await count('SELECT count(*) AS n FROM transit_stops WHERE wheelchair_accessible'));
    const one = (await db.query<{ stop_id: number }>('SELECT stop_id FROM transit_stops ORDER BY stop_id LIMIT 1')).rows[0]?.stop_id;
    expect((await page(`${STOPS}/items?stop_id=${one}`)).features.map((f) => f.id)).toEqual([one]);
    const injection = await page(`${STOPS}/items?stop_name=${encodeURIComponent("x' OR '1'='1")}`);
    expect(injection.numberReturned).toBe(0);
    const drop = await page(`${STOPS}/items?mode=${encodeURIComponent("bus'; DROP TABLE transit_stops; --")}`);
    expect(drop.numberReturned).toBe(0);
    expect(await count('SELECT count(*) AS n FROM transit_stops')).toBeGreaterThan(0);
  });

  it('unknown and invalid parameters are 400 with an OGC exception (peers ignore them; the test suite does not)', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const bad = [
      'colour=red',
      'limit=0',
      'limit=-3',
      'limit=ten',
      'bbox=1,2,3',
      'bbox=a,b,c,d',
      'bbox=0,50,1,40',
      'bbox=0,0,1,1&bbox=0,0,2,2',
      'datetime=yesterday',
      'datetime=2026-02-30',
      'datetime=2026-01-02/2026-01-01',
      'datetime=../..',
      'wheelchair_accessible=perhaps',
      'stop_id=1.5',
      'stop_id=99999999999999999999999',
      'bbox=0,0,1e999,1',
      `crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/999999')}`,
      `bbox=0,0,1,1&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/2193')}`,
      `bbox-crs=${encodeURIComponent(EPSG3857)}`,
      'cursor=not-a-cursor',
      'offset=-1',
      'f=xml',
    ];
    for (const q of bad) {
      const r = await t.get(`${STOPS}/items?${q}`);
      expect(r.statusCode, q).toBe(400);
      const body = JSON.parse(r.body) as { code: string; description: string };
      expect(body.code, q).toBe('InvalidParameterValue');
      expect(body.description.length, q).toBeGreaterThan(5);
    }
    expect((await t.get('/ogc/collections?limit=1')).statusCode).toBe(400);
    expect((await t.get('/ogc/conformance?x=1')).statusCode).toBe(400);
  });

  it('crs: EPSG:4326 is latitude first, EPSG:3857 in metres, Content-Crs names it; a feature by id in any CRS', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const lonLat = (await page(`${STOPS}/items?limit=1`)).features[0]?.geometry.coordinates as number[];
    const r = await t.get(`${STOPS}/items?limit=1&crs=${encodeURIComponent(EPSG4326)}`);
    expect(r.headers['content-crs']).toBe(`<${EPSG4326}>`);
    const latLon = (JSON.parse(r.body) as Page).features[0]?.geometry.coordinates as number[];
    expect(latLon[0]).toBeCloseTo(lonLat[1] as number, 6);
    expect(latLon[1]).toBeCloseTo(lonLat[0] as number, 6);
    const m = (await page(`${STOPS}/items?limit=1&crs=${encodeURIComponent(EPSG3857)}`)).features[0]?.geometry.coordinates as number[];
    expect(Math.abs(m[0] as number)).toBeGreaterThan(1_000_000);
    const id = (await page(`${STOPS}/items?limit=1`)).features[0]?.id as number;
    const feature = await t.get(`${STOPS}/items/${id}?crs=${encodeURIComponent(EPSG3857)}`);
    expect(feature.statusCode).toBe(200);
    expect(feature.headers['content-crs']).toBe(`<${EPSG3857}>`);
    const f = JSON.parse(feature.body) as { id: number; links: Array<{ rel: string }>; geometry: { coordinates: number[] } };
    expect(f.id).toBe(id);
    expect(f.links.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'alternate', 'collection']));
    expect(f.geometry.coordinates[0]).toBeCloseTo(m[0] as number, 3);
    expect((await t.get(`${STOPS}/items/99999999`)).statusCode).toBe(404);
    expect((await t.get(`${STOPS}/items/not-a-number`)).statusCode).toBe(404);
  });

  it('caching: ETag and Cache-Control from the layer (304 on If-None-Match), no-cache without; gzip when asked', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const r = await t.get(`${PARCELS}/items?limit=3`);
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await t.get(`${PARCELS}/items?limit=3`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect((await t.get(`${STOPS}/items?limit=3`)).headers['cache-control']).toBe('no-cache');
    const gz = await t.server.app.inject({ method: 'GET', url: `${PARCELS}/items?limit=1000`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(gz.rawPayload).toString('utf8')) as Page;
    expect(body.numberReturned).toBe(300);
  });
});

describe('OGC API - Features: clients that go away', () => {
  it('requests abandoned at any point (waiting for a connection, mid-stream) give every cursor and connection back', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const root = await t.server.listen(0, '127.0.0.1');
    const { request } = await import('node:http');
    const abandon = (delayMs: number) =>
      new Promise<void>((resolve) => {
        const req = request(`${root}${PARCELS}/items?limit=1000`, (res) => {
          res.once('data', () => req.destroy());
          res.on('error', () => resolve());
          res.on('close', () => resolve());
        });
        req.on('error', () => resolve());
        req.end();
        setTimeout(() => req.destroy(), delayMs);
      });
    const pool = [...t.server.registry.collections.values()][0]?.database;
    if (!pool?.poolStats) throw new Error('the collection has no pool');
    // Every connection taken: the requests wait for one, and their clients leave while they wait.
    let free: () => void = () => undefined;
    const held = new Promise<void>((r) => (free = r));
    const holders = Array.from({ length: 16 }, () => pool.session(() => held));
    while ((pool.poolStats().total ?? 0) < 16 || pool.poolStats().idle > 0) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(Array.from({ length: 20 }, () => abandon(30)));
    free();
    await Promise.all(holders);
    // And clients that leave mid-stream or as the body starts.
    await Promise.all(Array.from({ length: 100 }, (_, i) => abandon(i % 15)));
    const until = Date.now() + 5000;
    let stats = pool?.poolStats?.();
    while (Date.now() < until && stats && stats.idle < stats.total) {
      await new Promise((r) => setTimeout(r, 50));
      stats = pool?.poolStats?.();
    }
    expect(stats?.idle).toBe(stats?.total);
    expect(stats?.waiting).toBe(0);
    expect((await page(`${PARCELS}/items?limit=5`)).numberReturned).toBe(5);
  });
});

describe('OGC API - Features: values that do not fit', () => {
  it('ids and numbers out of range, NUL characters: 404 or 400, never a 500; links to HTML keep the page; responses vary on Accept', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    for (const id of ['9223372036854775808', '99999999999999999', '-1', '1%00']) expect((await t.get(`${STOPS}/items/${id}`)).statusCode, id).toBe(404);
    for (const q of ['offset=100000000000000000000', `stop_name=${encodeURIComponent('a\u0000b')}`])
      expect((await t.get(`${STOPS}/items?${q}`)).statusCode, q).toBe(400);
    const first = await page(`${STOPS}/items?limit=5&mode=bus`);
    const second = await page(local(linkOf(first, 'next')?.href as string));
    const alternate = linkOf(second, 'alternate')?.href as string;
    expect(alternate).toContain('cursor=');
    expect(alternate).toContain('mode=bus');
    expect(alternate).toContain('f=html');
    const r = await t.get(`${STOPS}/items?limit=1`);
    expect(String(r.headers.vary)).toMatch(/Accept/);
    expect((await t.get('/ogc/static/leaflet/images')).statusCode).toBe(404);
  });

  it('a connection lost in the middle of a page fails that page, not the process; the pool goes on', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const own = new PostgresDatabase({ connectionString: t.url, max: 2 });
    try {
      const batches = own.stream!<{ n: number }>("SELECT n, 'honua-lost-connection-test' AS marker FROM generate_series(1, 100000) n", [], { batchSize: 10 })[
        Symbol.asyncIterator
      ]();
      expect((await batches.next()).value).toHaveLength(10);
      await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%honua-lost-connection-test%' AND pid <> pg_backend_pid()");
      await expect(
        (async () => {
          for (let b = await batches.next(); !b.done; b = await batches.next());
        })(),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      expect((await own.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await own.close();
    }
  });
});

describe('OGC API - Features: HTML', () => {
  it('every resource answers text/html (f=html or Accept), the collection page maps its features with Leaflet from node_modules', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const id = (await page(`${STOPS}/items?limit=1`)).features[0]?.id as number;
    for (const url of ['/ogc/', '/ogc/conformance', '/ogc/api', '/ogc/collections', STOPS, `${STOPS}/items`, `${STOPS}/items/${id}`]) {
      const viaF = await t.get(`${url}?f=html`);
      expect(viaF.statusCode, url).toBe(200);
      expect(viaF.headers['content-type'], url).toMatch(/^text\/html/);
      const viaAccept = await t.get(url, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
      expect(viaAccept.headers['content-type'], url).toMatch(/^text\/html/);
    }
    const items = (await t.get(`${STOPS}/items?f=html&limit=5`)).body;
    expect(items).toContain('/ogc/static/leaflet/leaflet.js');
    expect(items).not.toMatch(/unpkg|cdn|jsdelivr/i);
    const js = await t.get('/ogc/static/leaflet/leaflet.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await t.get('/ogc/static/leaflet/..%2F..%2Fpackage.json')).statusCode).toBe(404);
  });

  it('data is escaped in HTML: a stop named with a script tag stays text', async (ctx) => {
    if (!t) return ctx.skip('needs the PostgreSQL server');
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const id = (
      await db.query<{ stop_id: number }>(
        'UPDATE transit_stops SET stop_name = $1 WHERE stop_id = (SELECT min(stop_id) FROM transit_stops) RETURNING stop_id',
        [evil],
      )
    ).rows[0]?.stop_id as number;
    for (const url of [`${STOPS}/items?f=html&stop_id=${id}`, `${STOPS}/items/${id}?f=html`]) {
      const html = (await t.get(url)).body;
      expect(html, url).not.toContain('<script>alert(1)');
      expect(html, url).not.toContain('<img src=x');
    }
    const json = await page(`${STOPS}/items?stop_id=${id}`);
    expect(json.features[0]?.properties.stop_name).toBe(evil);
  });
});
