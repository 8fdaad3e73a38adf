import { z } from 'zod';
import { untrustedText } from '../guardrails/index.js';
import { defineTool } from './define-tool.js';

export const listTables = defineTool({
  name: 'list_tables',
  title: 'Inspect the database',
  description:
    "Summarises what is in the PostGIS database: every table and view with its schema, kind, estimated row count, geometry columns (type, SRID, whether a spatial index exists), primary key, and problems worth knowing (missing spatial index, invalid index, no primary key). Comments are data from the database, wrapped as untrusted. Use describe_table for one table's columns.",
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    schema: z.string().optional().describe('Only this schema (default: all user schemas).'),
  }),
  output: z.object({
    database: z.object({ kind: z.string(), serverVersion: z.string(), postgisVersion: z.string().nullable() }),
    tables: z.array(
      z.object({
        table: z.string().describe('schema.name'),
        kind: z.string(),
        estimatedRows: z.number().nullable(),
        primaryKey: z.array(z.string()),
        geometry: z.array(z.object({ column: z.string(), type: z.string(), srid: z.number(), spatialIndex: z.boolean() })),
        comment: z.string().nullable(),
        findings: z.array(z.string()),
      }),
    ),
    summary: z.object({
      tables: z.number(),
      views: z.number(),
      geometryColumns: z.number(),
      missingSpatialIndex: z.array(z.string()),
      invalidIndexes: z.array(z.string()),
    }),
  }),
  async run(input, { engine }) {
    const inspection = await engine.inspect(input.schema ? { schema: input.schema } : {});
    return {
      database: { kind: inspection.database.kind, serverVersion: inspection.database.serverVersion, postgisVersion: inspection.database.postgisVersion },
      tables: inspection.tables.map((t) => ({
        table: `${t.schema}.${t.name}`,
        kind: t.kind,
        estimatedRows: t.rows ?? t.estimatedRows,
        primaryKey: t.primaryKey,
        geometry: t.geometryColumns.map((g) => ({
          column: g.column,
          type: g.kind === 'geography' ? `geography(${g.type})` : g.type,
          srid: g.srid,
          spatialIndex: g.spatialIndex !== null,
        })),
        comment: t.comment === null ? null : untrustedText(t.comment, `comment on ${t.schema}.${t.name}`),
        findings: t.findings.map((f) => `${f.code}: ${f.message}`),
      })),
      summary: inspection.summary,
    };
  },
});
