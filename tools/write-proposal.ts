import { z } from 'zod';
import type { FileValidation, ProposalRequest } from '../src/engine/index.js';
import { HonuaError } from '../src/errors/index.js';
import type { PreparedProposal } from '../src/source/index.js';
import { defineTool, type ToolContext } from './define-tool.js';
import { proposalPreview } from './proposal-facts.js';
import { FileValidationOut, problemOut } from './schemas.js';

type Input = { branch: string; message: string; draftIds?: string[] | undefined; files?: Array<{ path: string; content: string }> | undefined; push: boolean };

/** The request for the engine: drafts resolved to their files (verbatim, as generated), then the hand-written files. */
function request(input: Input, { session }: ToolContext): ProposalRequest {
  const files: Array<{ path: string; content: string }> = [];
  for (const id of input.draftIds ?? []) {
    const draft = session.drafts.get(id);
    if (!draft)
      throw new HonuaError('unknown-draft', `no draft "${id}" in this session`, {
        hint: `Drafts: ${[...session.drafts.keys()].join(', ') || 'none yet (call generate_layer or generate_migration)'}.`,
        fault: 'model',
      });
    files.push(...draft.files);
  }
  files.push(...(input.files ?? []));
  return {
    branch: input.branch,
    message: input.message,
    files,
    push: input.push,
    author: { name: `Honua consultant (session ${session.id})`, email: `honua-ai+${session.id}@localhost` },
  };
}

export const writeProposal = defineTool({
  name: 'write_proposal',
  title: 'Write a proposal branch',
  description:
    'Stages files as a proposal: one commit on a NEW branch from the current commit, made without touching any working tree (never the default branch, never an existing branch or any name that already resolves, never a force push), validated before anyone is asked, then pushed to the origin remote. The branch name must start with feature/ or honua/. Nothing is deployed: a person reviews and merges. Pass draftIds from generate_layer / generate_migration; `files` is for small hand edits (values shown to you as «redacted» are kept as they are in the file). A person must confirm this call, and sees the files, the lines changed, the SQL and whether policy changes.',
  toolClass: 'propose',
  // openWorldHint: the branch is pushed to the origin remote, which may be another host.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.object({
    branch: z.string().min(1).describe('New branch name under feature/ or honua/, e.g. feature/add-street-trees-layer.'),
    message: z.string().min(1).describe('Commit message: what and why.'),
    draftIds: z.array(z.string()).optional().describe('Drafts from generate_layer / generate_migration.'),
    files: z
      .array(z.object({ path: z.string(), content: z.string() }))
      .optional()
      .describe('Other files (path relative to the repository root, full content).'),
    push: z.boolean().default(true).describe('Also push the branch to the origin remote when there is one.'),
  }),
  output: z.object({
    branch: z.string(),
    commit: z.string(),
    base: z.object({ commit: z.string(), branch: z.string().optional() }),
    files: z.array(z.object({ path: z.string(), status: z.enum(['new', 'modified', 'unchanged']), added: z.number().int(), removed: z.number().int() })),
    pushedTo: z.array(z.string()),
    validation: FileValidationOut,
    notes: z.array(z.string()),
  }),
  async preview(input, context) {
    return proposalPreview(await context.engine.prepareProposal(request(input, context)));
  },
  async run(input, context, prepared) {
    const { engine } = context;
    const result = prepared
      ? await engine.commitProposal(prepared as PreparedProposal & { validation: FileValidation })
      : await engine.writeProposal(request(input, context));
    const notes = result.workingTreeDirty
      ? ['The working tree has uncommitted changes; the proposal starts from the last commit and does not include them.']
      : [];
    return {
      branch: result.branch,
      commit: result.commit,
      base: result.base,
      files: result.files,
      pushedTo: result.pushedTo,
      validation: { ...result.validation, problems: result.validation.problems.map(problemOut) },
      notes,
    };
  },
});
