import type { Command } from 'commander';
import { reviewFlow } from '../../ai/index.js';
import { commentOnPullRequest } from '../../engine/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/**
 * `honua-ai review <deployment-id | branch | PR number>` (seed 000): the deterministic review,
 * then a model's plain-words explanation built only on it, posted as a pull request review
 * comment when the target is a pull request and a token exists (--no-comment: do not).
 */
export function registerReview(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addFlowOptions(
    program
      .command('review')
      .description('Review a deployment plan: risk, breaking changes, lint findings with fixes, policy, backups, rollback, what the checks catch')
      .argument('<target>', 'a deployment id, a branch or commit, or a pull request number (#12)'),
  )
    .option('--for <env>', 'for a branch or PR: the environment to plan it for (default: production)')
    .option('--no-comment', 'do not post the review on the pull request')
    .addHelpText(
      'after',
      `
Examples:
  honua-ai review production-20261208100000-ab12cd3
  honua-ai review honua/add-street-trees-layer --for staging
  GITHUB_TOKEN=... honua-ai review '#12'`,
    )
    .action(async (target: string, opts: FlowFlags & { for?: string; comment?: boolean }) =>
      runFlow(io, program, done, opts, { mode: 'read-only', hooks }, async (ctx, session) => {
        const result = await reviewFlow(ctx, { target, environment: opts.for });
        const review = result.data.review;
        if (review?.target.kind === 'pull-request' && opts.comment !== false && result.data.markdown) {
          const number = Number(review.target.ref.replace('#', ''));
          const body = `${result.data.markdown}${result.data.explanation ? `\n\n#### In plain words (${session.settings.provider}, from the review above)\n\n${result.data.explanation}` : ''}`;
          const posted = await commentOnPullRequest(session.engine, number, session.runner.redactor.text(body)).catch((error: Error) => ({
            error: error.message,
          }));
          if ('url' in posted) ctx.say(`Posted on the pull request: ${posted.url}`);
          else if ('skipped' in posted) ctx.note(`Not posted on the pull request: ${posted.skipped}`);
          else ctx.note(`Not posted on the pull request: ${session.runner.redactor.text(posted.error)}`);
        }
        return result;
      }),
    );
}
