import { z } from 'zod';

/** The result of inspecting a database (`honua db inspect --json`, the consultant's schema tools). */
export const GeometryInfoSchema = z.object({
  column: z.string(),
  kind: z.enum(['geometry', 'geography']),
  /** From the column's type modifier; `Geometry` when unconstrained. */
  type: z.string(),
  /** 0 when the column does not fix an SRID. */
  srid: z.number().int(),
  dimensions: z.number().int(),
  /** Name of a GiST or SP-GiST index on the column, null when there is none. */
  spatialIndex: z.string().nullable(),
  extent: z
    .object({
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      srid: z.number().int(),
      estimated: z.boolean().meta({ description: 'true: from planner statistics (fast, approximate); false: computed from every row.' }),
    })
    .nullable(),
});

export const ColumnInfoSchema = z.object({
  name: z.string(),
  position: z.number().int(),
  type: z.string().meta({ description: 'As PostgreSQL formats it, e.g. character varying(200), geometry(LineString,4326).' }),
  nullable: z.boolean(),
  default: z.string().nullable(),
  comment: z.string().nullable(),
  primaryKey: z.boolean(),
});

export const IndexInfoSchema = z.object({
  name: z.string(),
  method: z.string(),
  columns: z.array(z.string()),
  unique: z.boolean(),
  primary: z.boolean(),
  valid: z.boolean().meta({ description: 'false: an index left INVALID by a failed CREATE INDEX CONCURRENTLY.' }),
  spatial: z.boolean(),
  definition: z.string(),
});

export const FindingSchema = z.object({
  code: z.enum(['missing-spatial-index', 'invalid-index', 'no-primary-key', 'not-analyzed']),
  message: z.string(),
  column: z.string().optional(),
});

export const TableInfoSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'view', 'materialized view', 'foreign table', 'partitioned table']),
  comment: z.string().nullable(),
  /** Planner estimate; null when the table was never analyzed. */
  estimatedRows: z.number().nullable(),
  /** Exact count, only when asked for (it reads the whole table). */
  rows: z.number().nullable(),
  primaryKey: z.array(z.string()),
  columns: z.array(ColumnInfoSchema),
  geometryColumns: z.array(GeometryInfoSchema),
  indexes: z.array(IndexInfoSchema),
  foreignKeys: z.array(
    z.object({ name: z.string(), columns: z.array(z.string()), references: z.object({ schema: z.string(), table: z.string(), columns: z.array(z.string()) }) }),
  ),
  findings: z.array(FindingSchema),
});

export const InspectionSchema = z.object({
  schemaVersion: z.literal('honua.inspection/v1'),
  database: z.object({ description: z.string(), kind: z.enum(['postgres', 'embedded']), serverVersion: z.string(), postgisVersion: z.string().nullable() }),
  tables: z.array(TableInfoSchema),
  summary: z.object({
    tables: z.number().int(),
    views: z.number().int(),
    geometryColumns: z.number().int(),
    missingSpatialIndex: z.array(z.string()).meta({ description: 'schema.table.column of geometry columns without a spatial index (tables only).' }),
    invalidIndexes: z.array(z.string()),
  }),
});

export type GeometryInfo = z.infer<typeof GeometryInfoSchema>;
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>;
export type IndexInfo = z.infer<typeof IndexInfoSchema>;
export type TableInfo = z.infer<typeof TableInfoSchema>;
export type Inspection = z.infer<typeof InspectionSchema>;
