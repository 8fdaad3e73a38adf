import { z } from 'zod';
import { type FileValidation, openPullRequest, promotion, PullRequestOutcomeSchema } from '../src/engine/index.js';
import { HonuaError } from '../src/errors/index.js';
import type { PreparedProposal } from '../src/source/index.js';
import { defineTool } from './define-tool.js';
import { proposalPreview } from './proposal-facts.js';

interface Prepared {
  proposal: PreparedProposal & { validation: FileValidation };
  title: string;
}

export const proposePromotion = defineTool({
  name: 'propose_promotion',
  title: 'Propose a promotion',
  description:
    "Promotes one environment's state to the next (staging → production) as a proposal: a new branch whose commit brings the target folder's layers and services to the source's (datasources, server config and metadata stay the target's), then a pull request when GitHub is set up. Refused when the source failed or was rolled back since its change went live, or is unhealthy. A person confirms the call. Deploying it afterwards is a deployment of its own, under the target's policy and approvals (schedule_deployment for a window).",
  toolClass: 'propose',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.object({
    from: z.string().min(1).describe('Source environment, e.g. staging.'),
    to: z.string().min(1).describe('Target environment, e.g. production.'),
    branch: z.string().optional().describe('Branch name (default honua/promote-<from>-to-<to>-<date>).'),
    pullRequest: z.boolean().default(true).describe('Also open a pull request (GitHub).'),
  }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    branch: z.string(),
    commit: z.string(),
    files: z.array(z.object({ path: z.string(), status: z.string() })),
    receives: z.object({ added: z.array(z.string()), modified: z.array(z.string()), removed: z.array(z.string()) }),
    kept: z.array(z.string()),
    pushedTo: z.array(z.string()),
    pullRequest: PullRequestOutcomeSchema.optional(),
  }),
  async preview(input, context) {
    const { engine, session } = context;
    const p = await promotion(engine, { from: input.from, to: input.to });
    if (p.source.problems.length > 0)
      throw new HonuaError('promotion-blocked', `${p.from} is not ready to promote: ${p.source.problems.join('; ')}`, {
        hint: `Fix ${p.from} first (read_incident, environment_health); promote once a deployment there has gone live without failures.`,
      });
    if (p.files.length === 0) throw new HonuaError('nothing-to-promote', `${p.to} already has ${p.from}'s layers and services`);
    const stamp = engine.workspace.clock().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const branch = input.branch ?? `honua/promote-${p.from}-to-${p.to}-${stamp}`;
    const title = `Promote ${p.from} to ${p.to}`;
    const proposal = await engine.prepareProposal({
      branch,
      message: `${title}\n\n${p.to} receives: ${[...p.receives.added.map((k) => `+ ${k}`), ...p.receives.modified.map((k) => `~ ${k}`)].join(', ') || 'file changes'}.\nSource ${p.from} at ${p.source.deployedCommit?.slice(0, 7) ?? 'HEAD'}, healthy: ${p.source.health}.`,
      files: p.files.map((f) => ({ path: f.path, content: f.content })),
      push: true,
      author: { name: `Honua consultant (session ${session.id})`, email: `honua-ai+${session.id}@localhost` },
    });
    // The commit message is Honua's here, not the model's: shown as a fact, not quoted as outside text.
    const { quoted: _quoted, ...base } = proposalPreview(proposal);
    return {
      ...base,
      summary: `Promote ${p.from} to ${p.to}: ${base.summary}`,
      details: [
        `${p.to} receives: ${p.receives.added.length} added, ${p.receives.modified.length} modified (${[...p.receives.added, ...p.receives.modified].join(', ') || 'file changes only'}).`,
        `${p.from}: ${p.source.health}, ${p.source.deployedCommit ? `running ${p.source.deployedCommit.slice(0, 7)}` : 'nothing deployed'}${p.source.liveSince ? ` since ${p.source.liveSince}` : ''}; no failures or rollbacks since.`,
        ...(p.kept.length > 0 ? [`Kept in ${p.to} (no counterpart in ${p.from}): ${p.kept.join(', ')}.`] : []),
        ...(input.pullRequest ? ['Then a pull request is opened (GitHub), or the way to open it is shown.'] : []),
        `Commit message: ${title}.`,
        ...(base.details ?? []),
      ],
      state: { proposal, title, promotion: p } satisfies Prepared & { promotion: unknown },
    };
  },
  async run(input, { engine, redact }, prepared) {
    if (!prepared) throw new HonuaError('internal-error', 'propose_promotion runs only after its preview');
    const { proposal, title, promotion: p } = prepared as Prepared & { promotion: Awaited<ReturnType<typeof promotion>> };
    const result = await engine.commitProposal(proposal);
    const pr = input.pullRequest
      ? await openPullRequest(engine, { branch: result.branch, title, ...(result.base.branch ? { base: result.base.branch } : {}) }, redact)
      : undefined;
    return {
      from: p.from,
      to: p.to,
      branch: result.branch,
      commit: result.commit,
      files: result.files.map((f) => ({ path: f.path, status: f.status })),
      receives: p.receives,
      kept: p.kept,
      pushedTo: result.pushedTo,
      ...(pr ? { pullRequest: pr } : {}),
    };
  },
});
