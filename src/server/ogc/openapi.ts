import type { Collection, Registry } from '../registry.js';
import { encodeId } from './base-url.js';
import { MEDIA } from './conformance-classes.js';

/**
 * The OpenAPI 3.0 definition of the API, generated from the registry (/req/oas30/oas-definition-1):
 * one path per collection, so every `limit` states its own minimum, maximum (the layer's item
 * limit) and default, and every queryable property is a declared parameter — the test suite reads
 * them from here. `servers[0].url` is the public base.
 */
const cache = new WeakMap<Registry, Map<string, Record<string, unknown>>>();

const FIELD_SCHEMA: Record<string, Record<string, unknown>> = {
  integer: { type: 'integer' },
  long: { type: 'integer', format: 'int64' },
  double: { type: 'number' },
  float: { type: 'number' },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  uuid: { type: 'string', format: 'uuid' },
};

const f = (json: string) => ({
  name: 'f',
  in: 'query',
  required: false,
  style: 'form',
  explode: false,
  schema: { type: 'string', enum: [json, 'html'] },
  description: 'The format of the response.',
});
const exception = { description: 'An exception', content: { [MEDIA.json]: { schema: { $ref: '#/components/schemas/exception' } } } };

function itemsParameters(c: Collection): unknown[] {
  return [
    {
      name: 'limit',
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      schema: { type: 'integer', minimum: 1, maximum: c.itemLimit, default: c.defaultLimit },
      description: `At most this many features (at most ${c.itemLimit}; more is clamped to it).`,
    },
    {
      name: 'bbox',
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
      description: 'Only features that intersect this box: minx,miny,maxx,maxy (or with heights, 6 values), in bbox-crs (default CRS84).',
    },
    { name: 'bbox-crs', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'string', format: 'uri', enum: c.crs.map((x) => x.uri) } },
    { name: 'crs', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'string', format: 'uri', enum: c.crs.map((x) => x.uri) } },
    {
      name: 'datetime',
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      schema: { type: 'string' },
      description: c.layer.temporalField
        ? `An instant or an interval (a/b, with .. for an open end) of ${c.layer.temporalField}.`
        : 'Accepted; the collection has no temporal property.',
    },
    {
      name: 'cursor',
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      schema: { type: 'string' },
      description: 'Opaque; given in next and prev links.',
    },
    { name: 'offset', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 0 } },
    f('json'),
    ...c.fields.map((field) => ({
      name: field.name,
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      schema: FIELD_SCHEMA[field.type] ?? { type: 'string' },
      description: `Equal to this ${field.name}.`,
    })),
  ];
}

export function openApiDocument(r: Registry, base: string): Record<string, unknown> {
  let byBase = cache.get(r);
  if (!byBase) {
    byBase = new Map();
    cache.set(r, byBase);
  }
  const hit = byBase.get(base);
  if (hit) return hit;
  const jsonPlain = { [MEDIA.json]: { schema: { type: 'object' } }, [MEDIA.html]: { schema: { type: 'string' } } };
  const paths: Record<string, unknown> = {
    '/': {
      get: {
        summary: 'Landing page',
        operationId: 'getLandingPage',
        parameters: [f('json')],
        responses: { 200: { description: 'The landing page', content: jsonPlain }, 400: exception },
      },
    },
    '/conformance': {
      get: {
        summary: 'Conformance classes',
        operationId: 'getConformance',
        parameters: [f('json')],
        responses: { 200: { description: 'Conformance classes', content: jsonPlain }, 400: exception },
      },
    },
    '/api': {
      get: {
        summary: 'This API definition',
        operationId: 'getApi',
        parameters: [f('json')],
        responses: {
          200: {
            description: 'The OpenAPI definition',
            content: { [MEDIA.openapi]: { schema: { type: 'object' } }, [MEDIA.html]: { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/collections': {
      get: {
        summary: 'The feature collections',
        operationId: 'getCollections',
        parameters: [f('json')],
        responses: { 200: { description: 'The collections', content: jsonPlain }, 400: exception },
      },
    },
  };
  for (const c of r.collections.values()) {
    const id = encodeId(c.id);
    const op = c.id.replace(/[^A-Za-z0-9]+/g, '_');
    paths[`/collections/${id}`] = {
      get: {
        summary: `The ${c.title} collection`,
        operationId: `describe_${op}`,
        parameters: [f('json')],
        responses: { 200: { description: c.title, content: jsonPlain }, 400: exception, 404: exception },
      },
    };
    paths[`/collections/${id}/items`] = {
      get: {
        summary: `The features of ${c.title}`,
        operationId: `getFeatures_${op}`,
        parameters: itemsParameters(c),
        responses: {
          200: {
            description: 'A page of features',
            headers: { 'Content-Crs': { schema: { type: 'string' }, description: 'The CRS of the coordinates, as <uri>.' } },
            content: { [MEDIA.geojson]: { schema: { $ref: '#/components/schemas/featureCollectionGeoJSON' } }, [MEDIA.html]: { schema: { type: 'string' } } },
          },
          400: exception,
          404: exception,
        },
      },
    };
    paths[`/collections/${id}/items/{featureId}`] = {
      get: {
        summary: `One feature of ${c.title}`,
        operationId: `getFeature_${op}`,
        parameters: [
          { name: 'featureId', in: 'path', required: true, schema: { type: c.idType === 'integer' ? 'integer' : 'string' } },
          { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: c.crs.map((x) => x.uri) } },
          f('json'),
        ],
        responses: {
          200: {
            description: 'The feature',
            content: { [MEDIA.geojson]: { schema: { $ref: '#/components/schemas/featureGeoJSON' } }, [MEDIA.html]: { schema: { type: 'string' } } },
          },
          400: exception,
          404: exception,
        },
      },
    };
  }
  const doc = {
    openapi: '3.0.3',
    info: { title: r.title, description: r.description, version: r.id, license: { name: 'as published by its owner' } },
    servers: [{ url: base }],
    paths,
    components: {
      schemas: {
        exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } },
        featureGeoJSON: {
          type: 'object',
          required: ['type', 'geometry', 'properties'],
          properties: {
            type: { type: 'string', enum: ['Feature'] },
            id: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            geometry: { type: 'object', nullable: true },
            properties: { type: 'object', nullable: true },
          },
        },
        featureCollectionGeoJSON: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { $ref: '#/components/schemas/featureGeoJSON' } },
            links: {
              type: 'array',
              items: {
                type: 'object',
                required: ['href'],
                properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } },
              },
            },
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  };
  byBase.set(base, doc);
  return doc;
}
