import { z } from 'zod';
import { untrustedText } from '../guardrails/index.js';
import { defineTool } from './define-tool.js';
import { saveDraft } from './drafts.js';
import { Environments, FileValidationOut, GeneratedFileOut, problemOut } from './schemas.js';

export const generateMigrationTool = defineTool({
  name: 'generate_migration',
  title: 'Generate a migration',
  description:
    "Writes a Migration YAML of a common kind, with down steps, preconditions, post-up/post-down validations, timeouts and automatic rollback: spatial-index (a GiST index built CONCURRENTLY on a geometry column that has none), add-column (nullable, or with a constant default; a geometry column gets its index), add-table (a new table for a layer: identity key, columns, typed geometry column, GiST index; with `service`, the layer too). The id and dependency follow the repository's last migration. Nothing is written: the files are a draft (draftId) to pass to write_proposal. The result includes the linter's findings and validation.",
  toolClass: 'propose',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    kind: z.enum(['spatial-index', 'add-column', 'add-table']),
    table: z.string().min(1).describe("The table (schema-qualified or not); for add-table, the new table's name."),
    column: z.string().optional().describe("spatial-index: the geometry column (default: the first); add-column: the new column's name."),
    type: z.string().optional().describe('add-column: SQL type (text, integer, numeric(10,2), date, geometry(Point, 4326), ...).'),
    nullable: z.boolean().optional().describe('add-column: default true.'),
    default: z.string().optional().describe("add-column: a constant SQL default (e.g. 0, 'unknown')."),
    geometryType: z.string().optional().describe('add-table: Point, LineString, Polygon, MultiPolygon, ...'),
    srid: z.number().int().optional().describe('add-table: SRID of the geometry column (default 4326).'),
    columns: z
      .array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean().optional(), default: z.string().optional() }))
      .optional()
      .describe('add-table: columns besides id and geom.'),
    comment: z.string().optional().describe('add-table: table comment.'),
    service: z.string().optional().describe('add-table: also generate the layer in this service.'),
    environments: Environments,
  }),
  output: z.object({
    draftId: z.string(),
    migration: z.string(),
    files: z.array(GeneratedFileOut),
    lint: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), hint: z.string() })),
    notes: z.array(z.string()),
    validation: FileValidationOut,
  }),
  async run(input, { engine, session }) {
    const g = await engine.generateMigration({ ...input, author: 'ai-consultant' });
    const files = [...g.files, ...(g.layer?.files ?? [])];
    const draft = saveDraft(session, { kind: 'migration', summary: `migration ${g.name}`, files }, `migration-${g.id}`);
    return {
      draftId: draft.id,
      migration: g.name,
      files: files.map((f) => ({ path: f.path, content: untrustedText(f.content, `generated ${f.path}`) })),
      lint: g.lint.map((f) => ({ code: f.code, severity: f.severity, message: f.message, hint: f.hint })),
      notes: [...g.notes, ...(g.layer?.notes ?? [])],
      validation: { ...g.validation, problems: g.validation.problems.map(problemOut) },
    };
  },
});
