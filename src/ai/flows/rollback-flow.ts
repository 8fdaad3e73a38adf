import { revertFiles, rollbackPreview, type RollbackPreview } from '../../engine/index.js';
import { isHonuaError } from '../../errors/index.js';
import { callTool, type FlowContext, type FlowResult, output } from './flow-context.js';

/**
 * `honua-ai rollback ENV [--to DEPLOYMENT | --to-commit SHA]`: explain what will be undone (the
 * deployments since the target, the down migrations, what happens to data written since),
 * request the rollback (an operate call: a person confirms it, every time), follow it to its end,
 * summarise, and propose the revert commit so git matches what runs again (`write_proposal`, then
 * a pull request).
 */
export interface RollbackFlowRequest {
  environment: string;
  toDeployment?: string | undefined;
  toCommit?: string | undefined;
  /** Propose the revert commit afterwards (default true). */
  revert?: boolean | undefined;
}

interface RolledBack {
  id: string;
  state: string;
  commit: string;
  next: string;
  revertedMigrations: string[];
  error?: { message: string };
}

export async function rollbackFlow(
  ctx: FlowContext,
  request: RollbackFlowRequest,
): Promise<FlowResult<{ preview?: RollbackPreview; deployment?: RolledBack; revert?: { branch: string; pullRequest?: unknown } }>> {
  const calls: FlowResult['calls'] = [];
  let preview: RollbackPreview;
  try {
    preview = await rollbackPreview(ctx.engine, request);
  } catch (error) {
    ctx.say(
      `Nothing rolled back: ${ctx.runner.redactor.text(error instanceof Error ? error.message : String(error))}${isHonuaError(error) && error.hint ? `\n${error.hint}` : ''}`,
    );
    return { outcome: 'failed', data: {}, calls };
  }
  ctx.say(
    `Rolling ${preview.environment} back to ${preview.target.id} (commit ${preview.target.commit.slice(0, 7)}${preview.target.finishedAt ? `, deployed ${preview.target.finishedAt}` : ''}).`,
  );
  if (preview.current) ctx.say(`Now running: ${preview.current.id} (commit ${preview.current.commit.slice(0, 7)}).`);
  ctx.say(`Undone: ${preview.undone.map((d) => `${d.id} (${d.kind})`).join(', ') || 'the active snapshot'}.`);
  ctx.say(`Down migrations: ${preview.downMigrations.join(', ') || 'none'}.`);
  ctx.say(`Data: ${preview.data}`);
  const result = await callTool(ctx, calls, 'request_rollback', {
    environment: request.environment,
    ...(request.toDeployment ? { toDeployment: request.toDeployment } : {}),
    ...(request.toCommit ? { toCommit: request.toCommit } : {}),
  });
  const deployment = output<RolledBack>(result);
  if (!deployment) {
    const refused = result.status === 'refused' || result.status === 'denied';
    ctx.say(`${refused ? 'Not rolled back' : 'The rollback failed'}: ${ctx.runner.redactor.text(result.error?.message ?? result.status)}`);
    return { outcome: refused ? 'refused' : 'failed', data: { preview }, calls };
  }
  ctx.say(
    `${deployment.id}: ${deployment.state}${deployment.revertedMigrations.length > 0 ? `; reverted ${deployment.revertedMigrations.join(', ')}` : ''}. ${deployment.next}`,
  );
  // Waiting for an approver or the window: the revert is proposed once it has run (honua-ai rollback again, or git revert).
  if (deployment.state === 'AwaitingApproval' || deployment.state === 'Pending') return { outcome: 'needs-input', data: { preview, deployment }, calls };
  if (deployment.state !== 'Completed') return { outcome: 'failed', data: { preview, deployment }, calls };
  if (request.revert === false) return { outcome: 'done', data: { preview, deployment }, calls };
  // git again says what runs: the configuration of the commit rolled back to, as a proposal.
  const folder = (await ctx.engine.environments()).find((e) => e.name === preview.environment)?.folder ?? preview.environment;
  const revert = await revertFiles(ctx.engine, preview.target.commit, folder);
  if (revert.files.length === 0) {
    ctx.say(revert.addedSince.length > 0 ? `To make git match, remove: ${revert.addedSince.join(', ')}.` : 'git already matches what runs.');
    return { outcome: 'done', data: { preview, deployment }, calls };
  }
  const branch = `honua/revert-${preview.environment}-to-${preview.target.commit.slice(0, 7)}`;
  const proposal = await callTool(ctx, calls, 'write_proposal', {
    branch,
    message: `Revert ${preview.environment} to ${preview.target.commit.slice(0, 7)}: rolled back by ${deployment.id}\n\nThe configuration as it was at ${preview.target.commit.slice(0, 12)}, so the repository matches what ${preview.environment} runs.`,
    files: revert.files,
  });
  const written = output<{ branch: string; commit: string }>(proposal);
  if (!written) {
    ctx.say(`The revert was not proposed (${proposal.error?.message ?? proposal.status}); git still says what the rollback undid.`);
    return { outcome: 'done', data: { preview, deployment }, calls };
  }
  ctx.say(
    `Revert proposed on ${written.branch} (${written.commit.slice(0, 7)})${revert.addedSince.length > 0 ? `; also remove ${revert.addedSince.join(', ')}` : ''}.`,
  );
  const pr = output<{ opened: boolean; url?: string; howTo?: string; reason?: string }>(
    await callTool(ctx, calls, 'open_pull_request', {
      branch: written.branch,
      title: `Revert ${preview.environment} to ${preview.target.commit.slice(0, 7)} (rolled back)`,
    }),
  );
  if (pr?.opened) ctx.say(`Pull request: ${pr.url}`);
  else if (pr) ctx.say(`No pull request opened (${pr.reason}). ${pr.howTo ?? ''}`.trim());
  return { outcome: 'done', data: { preview, deployment, revert: { branch: written.branch, ...(pr ? { pullRequest: pr } : {}) } }, calls };
}
