import { type Review, reviewMarkdown } from '../../plan/index.js';
import { callTool, explain, type FlowContext, type FlowResult, output } from './flow-context.js';

/**
 * `honua-ai review <deployment-id | branch | PR number>`: the deterministic review first (the
 * `review_plan` tool), then — with a model — an explanation in plain words built only on it.
 */
export async function reviewFlow(
  ctx: FlowContext,
  request: { target: string; environment?: string | undefined },
): Promise<FlowResult<{ review?: Review; markdown?: string; explanation?: string }>> {
  const calls: FlowResult['calls'] = [];
  const result = await callTool(ctx, calls, 'review_plan', { target: request.target, ...(request.environment ? { environment: request.environment } : {}) });
  const review = output<Review>(result);
  if (!review) {
    ctx.say(
      `Could not review ${request.target}: ${ctx.runner.redactor.text(result.error?.message ?? result.status)}${result.error?.hint ? `\n${result.error.hint}` : ''}`,
    );
    return { outcome: 'failed', data: {}, calls };
  }
  const markdown = reviewMarkdown(review);
  ctx.say(markdown);
  const explanation = await explain(
    ctx,
    'Explain this deployment review to the person who must decide on it: what matters most, what to fix first (with the fixes the review gives), and what the checks will not catch.',
    review,
  );
  if (explanation) ctx.say(`\n### In plain words (the model, from the review above)\n\n${explanation}\n`);
  return { outcome: 'done', data: { review, markdown, ...(explanation ? { explanation } : {}) }, calls };
}
