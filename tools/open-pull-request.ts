import { z } from 'zod';
import { openPullRequest, PullRequestOutcomeSchema, pullRequestBody } from '../src/engine/index.js';
import { HonuaError } from '../src/errors/index.js';
import { defineTool } from './define-tool.js';

export const openPullRequestTool = defineTool({
  name: 'open_pull_request',
  title: 'Open a pull request',
  description:
    "Opens a pull request on GitHub (or GitHub Enterprise) from a proposal branch already pushed by write_proposal or propose_promotion. Honua writes the body from the branch itself — files, semantic diff, breaking changes, migrations in order with lint findings and fixes, risk with reasons, the policy decision per environment, how to test — and labels it `honua` and `risk:<level>`; your `notes` go under a heading of their own. Without a GitHub remote or token it opens nothing and returns the exact way to open it (a compare URL). A person confirms the call. Merging is a person's decision; nothing is deployed.",
  toolClass: 'propose',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.object({
    branch: z.string().min(1).describe('The proposal branch (honua/... or feature/...).'),
    title: z.string().min(1).max(200).describe('The pull request title: what and why, short.'),
    notes: z.string().max(4000).optional().describe('Your notes for the reviewer (shown as your words, under their own heading).'),
    base: z.string().optional().describe("Target branch (default: the repository's default branch)."),
  }),
  output: PullRequestOutcomeSchema,
  async preview(input, { engine }) {
    if (!/^(honua|feature)\//.test(input.branch))
      throw new HonuaError('bad-branch-name', `"${input.branch}" is not a proposal branch (honua/... or feature/...)`, { fault: 'model' });
    const body = await pullRequestBody(engine, input.branch, input.base ?? 'HEAD', input.notes).catch(() => undefined);
    return {
      summary: `Open a pull request from ${input.branch}${input.base ? ` into ${input.base}` : ''}.`,
      details: [
        ...(body ? [`Files: ${body.files.join(', ') || 'none'}.`, `Risk: ${body.risk}; labels honua, risk:${body.risk.toLowerCase()}.`] : []),
        'The body is Honua’s plan of the branch; nothing is deployed by opening or merging it.',
      ],
      warnings: ['The pull request is created on the remote host (GitHub), visible to whoever can see the repository.'],
      quoted: [{ label: 'title (from the model)', text: input.title }, ...(input.notes ? [{ label: 'notes (from the model)', text: input.notes }] : [])],
    };
  },
  async run(input, { engine, redact }) {
    return openPullRequest(
      engine,
      { branch: input.branch, title: input.title, ...(input.notes ? { notes: input.notes } : {}), ...(input.base ? { base: input.base } : {}) },
      redact,
    );
  },
});
