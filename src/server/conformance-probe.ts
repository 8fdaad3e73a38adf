import { CONFORMANCE } from './ogc/conformance-classes.js';

/**
 * A conformance probe of an OGC API - Features endpoint over HTTP, mirroring the test classes of
 * the official suite (ets-ogcapi-features10 and the Part 2 CRS tests): general HTTP, the landing
 * page, conformance, error conditions, limit, links, numberMatched/numberReturned, timeStamp,
 * bbox, the CRS parameter and bbox-crs. It is read-only and bounded (at most `maxPages` pages per
 * collection, `maxCollections` collections). `honua conformance URL` runs it against any server.
 */
export interface ProbeResult {
  testClass: string;
  test: string;
  passed: boolean;
  detail?: string;
}

export interface ConformanceOptions {
  fetch?: typeof fetch;
  maxCollections?: number;
  maxPages?: number;
}

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  json: Record<string, unknown> | undefined;
}

interface Link {
  href: string;
  rel: string;
  type?: string;
}

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export async function probeConformance(url: string, options: ConformanceOptions = {}): Promise<ProbeResult[]> {
  const doFetch = options.fetch ?? fetch;
  const root = url.replace(/\/$/, '');
  const results: ProbeResult[] = [];
  const record = (testClass: string, test: string, ok: boolean, detail?: string) =>
    results.push({ testClass, test, passed: ok, ...(detail && !ok ? { detail } : {}) });
  const get = async (href: string, accept = 'application/json'): Promise<Answer> => {
    const r = await doFetch(href, { headers: { accept }, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
    const text = await r.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: r.status, type: r.headers.get('content-type') ?? '', headers: r.headers, json };
  };
  const linksOf = (doc: Record<string, unknown> | undefined): Link[] => (Array.isArray(doc?.links) ? (doc.links as Link[]) : []);
  const isException = (a: Answer) => typeof a.json?.code === 'string' || typeof a.json?.description === 'string';

  // General HTTP and the landing page (/conf/core: /req/core/root-op, root-success)
  const landing = await get(`${root}/`);
  record(
    'general HTTP',
    'landing page answers 200 with JSON',
    landing.status === 200 && /json/.test(landing.type),
    `status ${landing.status}, ${landing.type}`,
  );
  const rels = linksOf(landing.json).map((l) => l.rel);
  for (const rel of ['self', 'service-desc', 'conformance', 'data'])
    record('landing page', `has a ${rel} link`, rels.includes(rel), `links: ${rels.join(', ')}`);
  const serviceDesc = linksOf(landing.json).find((l) => l.rel === 'service-desc');
  record(
    'landing page',
    'service-desc is typed as OpenAPI 3.0',
    serviceDesc?.type === 'application/vnd.oai.openapi+json;version=3.0',
    `type ${serviceDesc?.type}`,
  );
  record(
    'landing page',
    'every link has a type',
    linksOf(landing.json).every((l) => typeof l.type === 'string' && l.type.length > 0),
  );

  // Conformance (/req/core/conformance-op, conformance-success)
  const conf = await get(`${root}/conformance`);
  const classes = (conf.json?.conformsTo as string[] | undefined) ?? [];
  record('conformance', 'declares core', classes.includes(CONFORMANCE.core), classes.join(', '));
  record('conformance', 'declares geojson', classes.includes(CONFORMANCE.geojson));
  const crsClass = classes.includes(CONFORMANCE.crs);

  // The API definition (/conf/oas30)
  if (serviceDesc) {
    const api = await get(serviceDesc.href, 'application/vnd.oai.openapi+json;version=3.0');
    record(
      'oas30',
      'the API definition is an OpenAPI 3.0 document',
      api.status === 200 && typeof api.json?.openapi === 'string' && api.json.openapi.startsWith('3.0'),
      `status ${api.status}`,
    );
  }

  // Error conditions (/req/core/query-param-unknown, query-param-invalid; 404)
  const missing = await get(`${root}/collections/this-collection-does-not-exist-${Date.now()}`);
  record('error conditions', 'an unknown collection is 404', missing.status === 404, `status ${missing.status}`);

  const collectionsDoc = await get(`${root}/collections`);
  record('collections', '/collections answers 200', collectionsDoc.status === 200, `status ${collectionsDoc.status}`);
  const collections = ((collectionsDoc.json?.collections as Array<Record<string, unknown>> | undefined) ?? []).slice(0, options.maxCollections ?? 20);
  record('collections', 'lists at least one collection', collections.length > 0);

  for (const c of collections) {
    const id = String(c.id);
    const items = `${root}/collections/${encodeURIComponent(id).replace(/%3A/gi, ':')}/items`;
    const one = await get(`${root}/collections/${encodeURIComponent(id).replace(/%3A/gi, ':')}`);
    record(
      'collections',
      `${id}: the collection answers 200 with an items link`,
      one.status === 200 && linksOf(one.json).some((l) => l.rel === 'items'),
      `status ${one.status}`,
    );
    record('collections', `${id}: has an extent`, typeof one.json?.extent === 'object');
    const unknown = await get(`${items}?this-is-not-a-parameter=1`);
    record(
      'error conditions',
      `${id}: an unknown parameter is 400 with an exception`,
      unknown.status === 400 && isException(unknown),
      `status ${unknown.status}`,
    );
    for (const bad of ['limit=0', 'limit=-1', 'limit=abc', 'bbox=1,2,3', 'bbox=a,b,c,d', 'datetime=yesterday']) {
      const a = await get(`${items}?${bad}`);
      record('error conditions', `${id}: ${bad} is 400`, a.status === 400 && isException(a), `status ${a.status}`);
    }

    // Limit (/req/core/fc-limit-definition, fc-limit-response-1)
    const limited = await get(`${items}?limit=2`);
    const features = (limited.json?.features as unknown[] | undefined) ?? [];
    record(
      'limit',
      `${id}: limit=2 returns at most 2`,
      limited.status === 200 && features.length <= 2,
      `status ${limited.status}, ${features.length} features`,
    );
    const huge = await get(`${items}?limit=10000000`);
    record('limit', `${id}: a limit above the maximum is clamped, not refused`, huge.status === 200, `status ${huge.status}`);

    // numberReturned, timeStamp, links, Content-Crs
    record('numberReturned', `${id}: numberReturned equals the features returned`, limited.json?.numberReturned === features.length);
    const ts = limited.json?.timeStamp;
    record(
      'timeStamp',
      `${id}: timeStamp is an RFC 3339 time near now`,
      typeof ts === 'string' && RFC3339.test(ts) && Math.abs(Date.parse(ts) - Date.now()) < 10 * 60_000,
      String(ts),
    );
    const itemLinks = linksOf(limited.json);
    record(
      'links',
      `${id}: the items page has a self link`,
      itemLinks.some((l) => l.rel === 'self'),
    );
    record(
      'links',
      `${id}: the items page has an alternate link`,
      itemLinks.some((l) => l.rel === 'alternate'),
    );
    if (crsClass)
      record('crs', `${id}: Content-Crs is sent`, /^<.+>$/.test(limited.headers.get('content-crs') ?? ''), limited.headers.get('content-crs') ?? 'none');

    // numberMatched: following next from a small page adds up to it (/req/core/fc-numberMatched)
    const first = await get(`${items}?limit=50`);
    const matched = first.json?.numberMatched;
    if (typeof matched === 'number') {
      let total = ((first.json?.features as unknown[]) ?? []).length;
      let next = linksOf(first.json).find((l) => l.rel === 'next')?.href;
      let pages = 1;
      const seen = new Set<string>();
      while (next && pages < (options.maxPages ?? 100)) {
        if (seen.has(next)) break;
        seen.add(next);
        const page = await get(next);
        total += ((page.json?.features as unknown[]) ?? []).length;
        next = linksOf(page.json).find((l) => l.rel === 'next')?.href;
        pages++;
      }
      if (!next)
        record(
          'numberMatched',
          `${id}: following next adds up to numberMatched`,
          total === matched,
          `${total} features over ${pages} pages, numberMatched ${matched}`,
        );
    }

    // bbox (/req/core/fc-bbox-response): a box around the extent answers; one across the antimeridian answers 200.
    const all = await get(`${items}?bbox=-180,-90,180,90&limit=1`);
    record('bbox', `${id}: the whole-world bbox answers 200`, all.status === 200, `status ${all.status}`);
    const anti = await get(`${items}?bbox=177,65,-177,70`);
    record('bbox', `${id}: a bbox across the antimeridian answers 200`, anti.status === 200, `status ${anti.status}`);

    // Part 2: crs and bbox-crs
    if (crsClass) {
      const crsList = (one.json?.crs as string[] | undefined) ?? [];
      record('crs', `${id}: lists its CRSs, CRS84 among them`, crsList.includes(CRS84), crsList.join(', '));
      record('crs', `${id}: names its storageCrs`, typeof one.json?.storageCrs === 'string');
      const badCrs = await get(`${items}?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/999999')}`);
      record('crs parameter invalid', `${id}: an unsupported crs is 400`, badCrs.status === 400, `status ${badCrs.status}`);
      const badBboxCrs = await get(`${items}?bbox=0,0,1,1&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/999999')}`);
      record('bbox-crs invalid', `${id}: an unsupported bbox-crs is 400`, badBboxCrs.status === 400, `status ${badBboxCrs.status}`);
      for (const crs of crsList.filter((x) => x !== CRS84).slice(0, 2)) {
        const inCrs = await get(`${items}?crs=${encodeURIComponent(crs)}&limit=1`);
        record(
          'crs',
          `${id}: crs=${crs} answers with Content-Crs <${crs}>`,
          inCrs.status === 200 && inCrs.headers.get('content-crs') === `<${crs}>`,
          `status ${inCrs.status}, ${inCrs.headers.get('content-crs')}`,
        );
      }
    }
  }
  return results;
}
