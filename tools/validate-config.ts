import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { Environments, ProblemOut, problemOut } from './schemas.js';

export const validateConfig = defineTool({
  name: 'validate_config',
  title: 'Validate the configuration',
  description:
    'Validates the config repository (working tree) the way `honua validate` does: every document against its schema, references between resources, per-environment rules, deployment policies, and the migration linter (as warnings). Returns whether it is valid and every problem with file, line, stable code and hint.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ environments: Environments }),
  output: z.object({
    valid: z.boolean(),
    errors: z.number().int(),
    warnings: z.number().int(),
    environments: z.array(
      z.object({
        name: z.string(),
        valid: z.boolean(),
        errors: z.number().int(),
        warnings: z.number().int(),
        layers: z.number().int(),
        migrations: z.number().int(),
      }),
    ),
    problems: z.array(ProblemOut),
  }),
  async run(input, { engine }) {
    const { report } = await engine.validate(input.environments ? { environments: input.environments } : {});
    return {
      valid: report.valid,
      errors: report.errors,
      warnings: report.warnings,
      environments: report.environments.map((e) => ({
        name: e.name,
        valid: e.valid,
        errors: e.errors,
        warnings: e.warnings,
        layers: e.counts.layers,
        migrations: e.counts.migrations,
      })),
      problems: report.problems.slice(0, 200).map(problemOut),
    };
  },
});
