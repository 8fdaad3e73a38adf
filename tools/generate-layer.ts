import { z } from 'zod';
import { untrustedText } from '../guardrails/index.js';
import { defineTool } from './define-tool.js';
import { saveDraft } from './drafts.js';
import { Environments, FileValidationOut, GeneratedFileOut, problemOut } from './schemas.js';

export const generateLayerTool = defineTool({
  name: 'generate_layer',
  title: 'Generate a layer from a table',
  description:
    'Writes the Layer YAML that publishes a database table as an OGC API Features collection, from the catalog: fields from column types, geometry type and SRID from the geometry column, id field from the primary key, a display field, CRS list, health checks and item limit; one file per environment (environments/<env>/layers/<name>.yaml). Nothing is written: the files are kept as a draft (draftId) and validated against the repository; pass the draftId to write_proposal to commit them on a branch. The service is inferred from the table when not given; when that is unclear the call fails with code service-required and lists the services, so ask the person which one.',
  toolClass: 'propose',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    table: z.string().min(1).describe('Table or view, optionally schema-qualified (public.parks).'),
    service: z.string().optional().describe('Service that publishes the layer (default: inferred when clear).'),
    environments: Environments,
    name: z.string().optional().describe('Layer name (default: from the table, e.g. street-trees).'),
    title: z.string().optional(),
    geometryColumn: z.string().optional().describe('When the table has several geometry columns.'),
    idField: z.string().optional().describe('For views and tables without a single-column primary key.'),
  }),
  output: z.object({
    draftId: z.string(),
    collectionId: z.string().describe('<service>::<name>, the OGC API collection id.'),
    table: z.string(),
    service: z.string(),
    files: z.array(GeneratedFileOut),
    notes: z.array(z.string()),
    validation: FileValidationOut,
    matchesDatabase: z.boolean(),
    mismatches: z.array(z.string()),
  }),
  async run(input, { engine, session }) {
    const g = await engine.generateLayer({ ...input, createdBy: 'ai-consultant' });
    const draft = saveDraft(session, { kind: 'layer', summary: `layer ${g.collectionId} from ${g.table}`, files: g.files }, `layer-${g.name}`);
    return {
      draftId: draft.id,
      collectionId: g.collectionId,
      table: g.table,
      service: g.service,
      files: g.files.map((f) => ({ path: f.path, content: untrustedText(f.content, `generated ${f.path}`) })),
      notes: g.notes,
      validation: { ...g.validation, problems: g.validation.problems.map(problemOut) },
      matchesDatabase: g.mismatches.length === 0,
      mismatches: g.mismatches.map((m) => m.message),
    };
  },
});
