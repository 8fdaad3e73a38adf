import { readFileSync } from 'node:fs';
import path from 'node:path';
import { installationPath } from '../config/index.js';
import type { ToolSpec } from './providers/provider.js';

/**
 * The system prompt: prompts/consultant.md, read at run time (so it can be edited without a
 * build), followed by the session's facts and the tools its mode allows.
 */
export const promptsDir = (): string => installationPath('prompts');

export function systemPrompt(
  facts: { mode: string; repo?: string; environment: string; database: string; oneShot?: string; pullRequest?: boolean },
  tools: readonly ToolSpec[],
): string {
  const base = readFileSync(path.join(promptsDir(), 'consultant.md'), 'utf8').trim();
  return [
    base,
    '# This session',
    `- Mode: ${facts.mode} (read-only: look only; propose: draft and propose with confirmation; operate: also request operations with confirmation).`,
    `- Repository: ${facts.repo ?? 'none'}; default environment: ${facts.environment}; database: ${facts.database}.`,
    ...(facts.oneShot
      ? [
          `- This is a one-shot \`honua-ai ask\`: nobody can answer a question. When you need an answer (which table, which service), say what you need and end with the exact command to run again with it, e.g. \`${facts.oneShot}\`.`,
        ]
      : []),
    ...(facts.pullRequest
      ? [
          '- This is `honua-ai propose`: after write_proposal succeeds, open a pull request for its branch with open_pull_request, and give the person its URL (or, when none was opened, how to open it).',
        ]
      : []),
    '# Tools',
    ...tools.map((t) => `- \`${t.name}\`: ${t.description.split('. ')[0]}.`),
  ].join('\n\n');
}
