import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const lintMigrationTool = defineTool({
  name: 'lint_migration',
  title: 'Lint a migration',
  description:
    "Runs Honua's PostGIS-aware migration linter on one migration of the repository (by id, name or file): drops, renames, NOT NULL without default, type and SRID changes, geometry narrowing, indexes without CONCURRENTLY, geometry without a spatial index, missing timeouts. Each finding has a stable code, severity, the step, and a hint to fix it.",
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ migration: z.string().min(1).describe('Migration id ("003"), name (003_optimize_bike_lanes) or file path.') }),
  output: z.object({
    migration: z.string(),
    file: z.string(),
    clean: z.boolean(),
    findings: z.array(
      z.object({
        code: z.string(),
        severity: z.enum(['error', 'warning']),
        message: z.string(),
        step: z.string(),
        hint: z.string(),
        line: z.number().int().optional(),
      }),
    ),
  }),
  async run(input, { engine }) {
    const r = await engine.lintMigration(input.migration);
    return {
      migration: r.migration,
      file: r.file,
      clean: r.findings.length === 0,
      findings: r.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        message: f.message,
        step: f.step,
        hint: f.hint,
        ...(f.line !== undefined ? { line: f.line } : {}),
      })),
    };
  },
});
