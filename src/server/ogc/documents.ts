import type { Collection, Registry } from '../registry.js';
import { encodeId } from './base-url.js';
import { CONFORMANCE, CRS84, MEDIA } from './conformance-classes.js';

/**
 * The JSON documents of the OGC API resources (OGC API - Features Part 1 §7.2-7.14, Part 2 §6).
 * Every link carries its exact media type (/req/core/root-success, /rec/core/link-header).
 */
export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

/** /req/core/root-success: links to the API definition, the conformance declaration and the collections. */
export function landingDocument(r: Registry, base: string): Record<string, unknown> {
  return {
    title: r.title,
    description: r.description,
    links: [
      { href: `${base}/`, rel: 'self', type: MEDIA.json, title: 'this document' },
      { href: `${base}/?f=html`, rel: 'alternate', type: MEDIA.html, title: 'this document as HTML' },
      { href: `${base}/api`, rel: 'service-desc', type: MEDIA.openapi, title: 'the API definition' },
      { href: `${base}/api?f=html`, rel: 'service-doc', type: MEDIA.html, title: 'the API documentation' },
      { href: `${base}/conformance`, rel: 'conformance', type: MEDIA.json, title: 'conformance classes implemented' },
      { href: `${base}/collections`, rel: 'data', type: MEDIA.json, title: 'the feature collections' },
    ] satisfies Link[],
  };
}

/** /req/core/conformance-success. HTML is declared: every resource has an HTML alternate. */
export const conformanceDocument = (): Record<string, unknown> => ({
  conformsTo: [CONFORMANCE.core, CONFORMANCE.geojson, CONFORMANCE.oas30, CONFORMANCE.html, CONFORMANCE.crs],
});

/** /req/core/sc-md-items, Part 2 /req/crs/fc-md-crs-list and storageCrs. */
export function collectionDocument(c: Collection, base: string): Record<string, unknown> {
  const href = `${base}/collections/${encodeId(c.id)}`;
  return {
    id: c.id,
    title: c.title,
    ...(c.description ? { description: c.description } : {}),
    ...(c.keywords.length ? { keywords: c.keywords } : {}),
    links: [
      { href, rel: 'self', type: MEDIA.json, title: 'this collection' },
      { href: `${href}?f=html`, rel: 'alternate', type: MEDIA.html, title: 'this collection as HTML' },
      { href: `${href}/items`, rel: 'items', type: MEDIA.geojson, title: `the features of ${c.title}` },
      { href: `${href}/items?f=html`, rel: 'items', type: MEDIA.html, title: `the features of ${c.title} as HTML` },
    ] satisfies Link[],
    extent: {
      spatial: { bbox: [c.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
      ...(c.temporal ? { temporal: { interval: [c.temporal], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
    },
    itemType: 'feature',
    crs: c.crs.map((x) => x.uri),
    storageCrs: c.storageCrs,
  };
}

export function collectionsDocument(r: Registry, base: string): Record<string, unknown> {
  return {
    links: [
      { href: `${base}/collections`, rel: 'self', type: MEDIA.json, title: 'this document' },
      { href: `${base}/collections?f=html`, rel: 'alternate', type: MEDIA.html, title: 'this document as HTML' },
    ] satisfies Link[],
    collections: [...r.collections.values()].map((c) => collectionDocument(c, base)),
  };
}
