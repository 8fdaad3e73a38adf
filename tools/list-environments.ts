import { z } from 'zod';
import { EnvironmentInfoSchema } from '../src/engine/index.js';
import { defineTool } from './define-tool.js';

export const listEnvironments = defineTool({
  name: 'list_environments',
  title: 'List environments',
  description:
    'Lists the environments of the Honua config repository (development, staging, production, ...) with their folder, whether their configuration validates, their datasources (name and type only), services, layers (service::name), migrations and a summary of their deployment policy. Start here to learn what the repository contains.',
  toolClass: 'read',
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({}),
  output: z.object({ repository: z.string(), environments: z.array(EnvironmentInfoSchema) }),
  async run(_input, { engine }) {
    return { repository: engine.workspace.repoDir ?? '', environments: await engine.environments() };
  },
});
