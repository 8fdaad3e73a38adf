import { z } from 'zod';
import { HonuaError } from '../src/errors/index.js';
import { DiffReportSchema } from '../src/plan/index.js';
import { defineTool } from './define-tool.js';

export const diffConfig = defineTool({
  name: 'diff_config',
  title: 'Diff the configuration',
  description:
    'Semantic diff of the configuration: either one environment between two commits (environment + from [+ to, default the working tree]), or two environments at the same commit (fromEnvironment + toEnvironment: what promoting one to the other would change). Lists added, removed and modified resources with field-level changes, and breaking changes with stable codes.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({
    environment: z.string().optional().describe("Environment to compare between commits (default: the session's)."),
    from: z.string().optional().describe('Earlier commit, branch or tag (e.g. HEAD~1, main, v1.4.0).'),
    to: z.string().optional().describe('Later commit (default: the working tree).'),
    fromEnvironment: z.string().optional().describe('Promotion view: the environment whose configuration is promoted (e.g. staging).'),
    toEnvironment: z.string().optional().describe('Promotion view: the environment that would receive it (e.g. production).'),
    ref: z.string().optional().describe('Promotion view: compare the environments at this commit (default: the working tree).'),
  }),
  output: DiffReportSchema,
  async run(input, { engine }) {
    if (input.fromEnvironment !== undefined || input.toEnvironment !== undefined) {
      if (input.fromEnvironment === undefined || input.toEnvironment === undefined)
        throw new HonuaError('missing-argument', 'comparing environments needs both fromEnvironment and toEnvironment', { fault: 'model' });
      return engine.diff({
        fromEnvironment: input.fromEnvironment,
        toEnvironment: input.toEnvironment,
        ...(input.ref !== undefined ? { ref: input.ref } : {}),
      });
    }
    if (input.from === undefined)
      throw new HonuaError('missing-argument', 'comparing commits needs `from` (a commit, branch or tag)', { hint: 'e.g. from: HEAD~1', fault: 'model' });
    return engine.diff({
      from: input.from,
      ...(input.to !== undefined ? { to: input.to } : {}),
      ...(input.environment !== undefined ? { environment: input.environment } : {}),
    });
  },
});
