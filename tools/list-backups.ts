import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const listBackups = defineTool({
  name: 'list_backups',
  title: 'List backups',
  description:
    "An environment's database backups, newest first: id, when it was taken and how old it is (the data-loss window of restoring it), kind, size, and how many tables it holds. Read-only.",
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ environment: z.string().optional().describe("Default: the session's environment.") }),
  output: z.object({
    environment: z.string(),
    backups: z.array(
      z.object({ id: z.string(), createdAt: z.string(), ageHours: z.number(), kind: z.string(), bytes: z.number().optional(), tables: z.number().int() }),
    ),
  }),
  async run(input, { engine }) {
    const environment = input.environment ?? engine.workspace.defaultEnvironment;
    const { backups } = await engine.backups({ environment });
    const now = engine.workspace.clock().getTime();
    return {
      environment,
      backups: backups.map((b) => ({
        id: b.id,
        createdAt: b.createdAt,
        ageHours: Math.round(((now - Date.parse(b.createdAt)) / 3600_000) * 10) / 10,
        kind: b.kind,
        bytes: b.size,
        tables: Object.keys(b.tables).length,
      })),
    };
  },
});
