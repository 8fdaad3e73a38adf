import { z } from 'zod';
import { normalizeCrs } from '../crs.js';
import { parseDuration } from '../duration.js';
import { type Check, CheckSchema, normalizeCheck } from './check.js';
import { baseMetadata, CrsCode, Duration, envelope, Name, type Origin } from './common.js';

/**
 * Layer: one table or view published as an OGC API Features collection. The fields are those of
 * seed 004's bike-lanes layer; the collection id is `<service>::<name>`.
 */
export const GEOMETRY_TYPES = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection', 'Geometry'] as const;
export type GeometryType = (typeof GEOMETRY_TYPES)[number];

export const FIELD_TYPES = [
  'integer',
  'long',
  'double',
  'float',
  'decimal',
  'string',
  'boolean',
  'date',
  'datetime',
  'time',
  'uuid',
  'json',
  'binary',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const INDEX_TYPES = ['gist', 'spgist', 'brin', 'btree', 'hash', 'gin'] as const;

const FieldSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  alias: z.string().optional(),
  description: z.string().optional(),
  nullable: z.boolean().optional(),
  maxLength: z.number().int().min(1).optional(),
  precision: z.number().int().min(1).optional(),
  scale: z.number().int().min(0).optional(),
  readOnly: z.boolean().optional(),
  column: z.string().optional().meta({ description: 'Database column when it differs from the field name.' }),
});

const IndexSchema = z.strictObject({
  name: z.string(),
  type: z.enum(INDEX_TYPES),
  column: z.string().optional(),
  columns: z.array(z.string()).optional(),
});

export const LayerSchema = z.strictObject({
  ...envelope('Layer'),
  metadata: z.strictObject({
    ...baseMetadata,
    service: Name.meta({ description: 'Name of the Service that publishes this layer.' }),
  }),
  spec: z.strictObject({
    title: z.string().min(1),
    description: z.string().optional(),
    geometryType: z.enum(GEOMETRY_TYPES),
    idField: z.string().min(1),
    displayField: z.string().optional(),
    temporalField: z
      .string()
      .optional()
      .meta({ description: 'A date or datetime field: the items `datetime` parameter filters on it (OGC API Features /req/core/fc-time-response).' }),
    geometryField: z.string().min(1),
    crs: z.array(CrsCode).min(1).meta({ description: 'CRSs the layer can be served in; the first is the default unless ogc.defaultCrs says otherwise.' }),
    storage: z.strictObject({
      table: z.string().min(1).meta({ description: 'Table or view, optionally schema-qualified (public.bike_lanes).' }),
      schema: z.string().optional(),
      geometryColumn: z.string().min(1),
      primaryKey: z.string().min(1),
      srid: z.number().int().min(1),
      dataSource: Name.optional().meta({ description: "Overrides the service's datasource for this layer." }),
      indexes: z.array(IndexSchema).optional(),
    }),
    fields: z.array(FieldSchema).min(1),
    ogc: z
      .strictObject({
        itemLimit: z.number().int().min(1).max(100_000).optional().meta({ description: 'Maximum items per page (requests above it are clamped).' }),
        defaultLimit: z.number().int().min(1).optional().meta({ description: 'Items per page when the request has no limit (default 10, at most itemLimit).' }),
        defaultCrs: CrsCode.optional(),
        latencyBudget: Duration.optional().meta({
          description: 'How long a first items page may take when a deployment verifies the layer (default 2s); slower fails the verification.',
        }),
        countBudget: Duration.optional().meta({
          description: 'How long the exact count behind numberMatched may take (default 250ms); a slower count leaves numberMatched out.',
        }),
      })
      .optional(),
    caching: z.strictObject({ enabled: z.boolean().optional(), ttl: Duration.optional() }).optional(),
    extent: z
      .strictObject({
        bbox: z.array(z.number()).length(4).optional().meta({ description: '[minx, miny, maxx, maxy] in CRS84.' }),
        temporal: z.array(z.string().nullable()).length(2).optional(),
      })
      .optional(),
    keywords: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    validation: z.strictObject({ healthChecks: z.array(CheckSchema).optional() }).optional(),
  }),
});
export type WrittenLayer = z.infer<typeof LayerSchema>;

export interface LayerField {
  name: string;
  type: FieldType;
  alias?: string;
  description?: string;
  nullable: boolean;
  maxLength?: number;
  column: string;
}

export interface Layer {
  kind: 'Layer';
  name: string;
  service: string;
  /** `<service>::<name>`: the OGC API collection id. */
  id: string;
  title: string;
  description?: string;
  geometryType: GeometryType;
  idField: string;
  displayField?: string;
  /** The date or datetime field `datetime` filters on. */
  temporalField?: string;
  geometryField: string;
  /** Canonical short codes (EPSG:4326, OGC:CRS84), in the written order. */
  crs: string[];
  defaultCrs: string;
  storage: {
    schema?: string;
    table: string;
    geometryColumn: string;
    primaryKey: string;
    srid: number;
    dataSource?: string;
    indexes: Array<{ name: string; type: (typeof INDEX_TYPES)[number]; columns: string[] }>;
  };
  fields: LayerField[];
  itemLimit: number;
  defaultLimit: number;
  /** ogc.latencyBudget: a first page slower than this fails a deployment's verification. */
  latencyBudgetMs: number;
  /** ogc.countBudget: how long numberMatched's exact count may take. */
  countBudgetMs: number;
  cacheTtlSeconds?: number;
  extent?: { bbox?: number[]; temporal?: Array<string | null> };
  keywords: string[];
  enabled: boolean;
  healthChecks: Check[];
  createdBy?: string;
  origin: Origin;
}

export const layerId = (service: string, name: string): string => `${service}::${name}`;

/** Splits `schema.table` into its parts; the schema is undefined when the table is unqualified. */
export function splitTable(table: string, schema?: string): { schema?: string; table: string } {
  if (schema !== undefined) return { schema, table };
  const dot = table.indexOf('.');
  return dot > 0 ? { schema: table.slice(0, dot), table: table.slice(dot + 1) } : { table };
}

export function normalizeLayer(doc: WrittenLayer, origin: Origin, serviceItemLimit?: number, serviceDefaultCrs?: string): Layer {
  const s = doc.spec;
  const crs = s.crs.map((c) => normalizeCrs(c) ?? c);
  const itemLimit = s.ogc?.itemLimit ?? serviceItemLimit ?? 1000;
  const table = splitTable(s.storage.table, s.storage.schema);
  const layer: Layer = {
    kind: 'Layer',
    name: doc.metadata.name,
    service: doc.metadata.service,
    id: layerId(doc.metadata.service, doc.metadata.name),
    title: s.title,
    geometryType: s.geometryType,
    idField: s.idField,
    geometryField: s.geometryField,
    crs,
    defaultCrs: normalizeCrs(s.ogc?.defaultCrs ?? serviceDefaultCrs ?? s.crs[0] ?? 'EPSG:4326') ?? 'EPSG:4326',
    storage: {
      ...table,
      geometryColumn: s.storage.geometryColumn,
      primaryKey: s.storage.primaryKey,
      srid: s.storage.srid,
      indexes: (s.storage.indexes ?? []).map((i) => ({ name: i.name, type: i.type, columns: i.columns ?? (i.column ? [i.column] : []) })),
    },
    fields: s.fields.map((f) => {
      const field: LayerField = { name: f.name, type: f.type, nullable: f.nullable ?? true, column: f.column ?? f.name };
      if (f.alias !== undefined) field.alias = f.alias;
      if (f.description !== undefined) field.description = f.description;
      if (f.maxLength !== undefined) field.maxLength = f.maxLength;
      return field;
    }),
    itemLimit,
    defaultLimit: Math.min(s.ogc?.defaultLimit ?? 10, itemLimit),
    latencyBudgetMs: parseDuration(s.ogc?.latencyBudget ?? '2s') ?? 2000,
    countBudgetMs: parseDuration(s.ogc?.countBudget ?? '250ms') ?? 250,
    keywords: s.keywords ?? [],
    enabled: s.enabled ?? true,
    healthChecks: (s.validation?.healthChecks ?? []).map(normalizeCheck),
    origin,
  };
  if (s.description !== undefined) layer.description = s.description;
  if (s.displayField !== undefined) layer.displayField = s.displayField;
  if (s.temporalField !== undefined) layer.temporalField = s.temporalField;
  if (s.storage.dataSource !== undefined) layer.storage.dataSource = s.storage.dataSource;
  if (s.caching?.enabled !== false && s.caching?.ttl !== undefined) layer.cacheTtlSeconds = (parseDuration(s.caching.ttl) ?? 0) / 1000;
  if (s.extent !== undefined) layer.extent = { ...s.extent };
  if (doc.metadata.createdBy !== undefined) layer.createdBy = doc.metadata.createdBy;
  return layer;
}
