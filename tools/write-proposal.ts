import { z } from 'zod';
import { HonuaError } from '../src/errors/index.js';
import { defineTool } from './define-tool.js';
import { FileValidationOut, problemOut } from './schemas.js';

export const writeProposal = defineTool({
  name: 'write_proposal',
  title: 'Write a proposal branch',
  description:
    'Stages files as a proposal: in a fresh local clone of the config repository, on a NEW branch from the current commit (never the default branch, never an existing branch, never a force push), validated before committing, one commit authored by this session, then pushed back to the repository and to its origin remote. Nothing is deployed: a person reviews and merges. Pass draftIds from generate_layer / generate_migration; `files` is for small hand edits. A person must confirm this call.',
  toolClass: 'propose',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: z.object({
    branch: z.string().min(1).describe('New branch name, e.g. feature/add-street-trees-layer.'),
    message: z.string().min(1).describe('Commit message: what and why.'),
    draftIds: z.array(z.string()).optional().describe('Drafts from generate_layer / generate_migration.'),
    files: z.array(z.object({ path: z.string(), content: z.string() })).optional().describe('Other files (path relative to the repository root, full content).'),
    push: z.boolean().default(true).describe('Also push the branch to the origin remote when there is one.'),
  }),
  output: z.object({
    branch: z.string(),
    commit: z.string(),
    base: z.object({ commit: z.string(), branch: z.string().optional() }),
    files: z.array(z.object({ path: z.string(), status: z.enum(['new', 'modified', 'unchanged']) })),
    pushedTo: z.array(z.string()),
    validation: FileValidationOut,
    notes: z.array(z.string()),
  }),
  describe: (input) =>
    `Commit ${[...(input.draftIds ?? []), ...(input.files ?? []).map((f) => f.path)].join(', ') || 'nothing'} on a new branch ${input.branch}${input.push ? ' and push it' : ''} ("${input.message}")`,
  async run(input, { engine, session }) {
    const files: Array<{ path: string; content: string }> = [];
    for (const id of input.draftIds ?? []) {
      const draft = session.drafts.get(id);
      if (!draft) throw new HonuaError('unknown-draft', `no draft "${id}" in this session`, { hint: `Drafts: ${[...session.drafts.keys()].join(', ') || 'none yet (call generate_layer or generate_migration)'}.`, fault: 'model' });
      files.push(...draft.files);
    }
    files.push(...(input.files ?? []));
    const paths = files.map((f) => f.path);
    const dup = paths.find((p, i) => paths.indexOf(p) !== i);
    if (dup) throw new HonuaError('duplicate-file', `${dup} is in the proposal twice`, { fault: 'model' });
    const result = await engine.writeProposal({
      branch: input.branch,
      message: input.message,
      files,
      push: input.push,
      author: { name: `Honua consultant (session ${session.id})`, email: `honua-ai+${session.id}@localhost` },
    });
    const notes = result.workingTreeDirty ? ['The working tree has uncommitted changes; the proposal starts from the last commit and does not include them.'] : [];
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
