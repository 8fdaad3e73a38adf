import type { CallResult } from '../../../tools/index.js';
import { callTool, type FlowContext, type FlowResult, output } from './flow-context.js';

/**
 * `honua-ai promote --from staging --to production [--schedule WHEN] [--migration ID]` and
 * `honua-ai schedule migration ID -e ENV --window WHEN`. The promotion is a proposal (branch and
 * pull request, `propose_promotion`: it compares the environments and refuses when the source
 * failed or rolled back since its change went live); a schedule is an operate call
 * (`schedule_deployment`) that the engine holds in Pending until the time, with the approvals the
 * policy asks for requested at once. A time outside every window is refused by the engine with
 * the next allowed slot, which the flow then offers — asked again, like every operate call.
 * Nothing here approves.
 */
export interface PromoteRequest {
  from: string;
  to: string;
  schedule?: string | undefined;
  migration?: string | undefined;
  /** Take the next allowed slot when the time asked for is outside the window (asked for again all the same). */
  nextSlot?: boolean | undefined;
}

interface Promoted {
  branch: string;
  commit: string;
  files: Array<{ path: string; status: string }>;
  receives: { added: string[]; modified: string[]; removed: string[] };
  pullRequest?: { opened: boolean; url?: string; compareUrl?: string; howTo?: string; reason?: string };
}

interface Scheduled {
  id: string;
  state: string;
  scheduledFor?: string;
  next: string;
}

export async function scheduleStep(
  ctx: FlowContext,
  calls: FlowResult['calls'],
  request: { environment: string; at: string; ref?: string | undefined; migration?: string | undefined; nextSlot?: boolean | undefined },
): Promise<{ scheduled?: Scheduled; refused?: string; nextAllowed?: string; outcome: 'done' | 'failed' | 'refused' | 'needs-input' }> {
  const args = (at: string) => ({
    environment: request.environment,
    at,
    ...(request.ref ? { ref: request.ref } : {}),
    ...(request.migration ? { migration: request.migration } : {}),
  });
  let result: CallResult = await callTool(ctx, calls, 'schedule_deployment', args(request.at));
  const next = result.error?.code === 'outside-window' ? (result.error.data?.nextAllowed as string | undefined) : undefined;
  if (next) {
    const local = (result.error?.data?.nextAllowedLocal as string | undefined) ?? next;
    ctx.say(`${request.at} is outside what the ${request.environment} policy allows: ${ctx.runner.redactor.text(result.error?.message ?? '')}`);
    ctx.say(`The next allowed slot is ${local}.`);
    const take =
      request.nextSlot ??
      (await ctx.prompter.select(`Schedule it at the next allowed slot (${local}) instead?`, [
        { name: `Yes, at ${local}`, value: true },
        { name: 'No, leave it unscheduled', value: false },
      ]));
    if (!take) return { refused: 'outside-window', nextAllowed: next, outcome: 'needs-input' };
    result = await callTool(ctx, calls, 'schedule_deployment', args(next));
  }
  const scheduled = output<Scheduled>(result);
  if (!scheduled) {
    if (result.error?.hint) ctx.say(ctx.runner.redactor.text(result.error.hint));
    return {
      refused: result.error ? `${result.error.code}: ${ctx.runner.redactor.text(result.error.message)}` : result.status,
      outcome: result.status === 'refused' || result.status === 'denied' ? 'refused' : 'failed',
    };
  }
  // Asked for and recorded, but ended at once (the policy denied it, a check failed): not scheduled.
  const ended = ['Failed', 'Rejected', 'Expired'].includes(scheduled.state);
  return { scheduled, outcome: ended ? 'failed' : 'done' };
}

export async function promoteFlow(ctx: FlowContext, request: PromoteRequest): Promise<FlowResult<{ promotion?: Promoted; scheduled?: Scheduled }>> {
  const calls: FlowResult['calls'] = [];
  ctx.say(`Promoting ${request.from} to ${request.to}.`);
  const status = output<{ environments: Array<{ environment: string; health: string; deployedCommit?: string; sync: string }> }>(
    await callTool(ctx, calls, 'deployment_status', { environment: request.from }),
  );
  const source = status?.environments[0];
  if (source) ctx.say(`${request.from}: ${source.health}, ${source.sync}${source.deployedCommit ? `, running ${source.deployedCommit.slice(0, 7)}` : ''}.`);
  const promoted = await callTool(ctx, calls, 'propose_promotion', { from: request.from, to: request.to });
  const promotion = output<Promoted>(promoted);
  let ref: string | undefined;
  if (promotion) {
    ref = promotion.branch;
    const receives = [...promotion.receives.added.map((k) => `+ ${k}`), ...promotion.receives.modified.map((k) => `~ ${k}`)];
    ctx.say(`${request.to} would receive: ${receives.join(', ') || 'file changes only'}.`);
    ctx.say(`Branch ${promotion.branch} (${promotion.commit.slice(0, 7)}): ${promotion.files.map((f) => `${f.path} (${f.status})`).join(', ')}.`);
    const pr = promotion.pullRequest;
    if (pr?.opened) ctx.say(`Pull request: ${pr.url}`);
    else if (pr) ctx.say(`No pull request opened (${pr.reason}). ${pr.howTo ?? ''}`.trim());
  } else if (promoted.error?.code === 'nothing-to-promote' && request.migration) {
    ctx.say(`${request.to} already has ${request.from}'s layers and services; scheduling migration ${request.migration} only.`);
  } else {
    ctx.say(`Not promoted: ${ctx.runner.redactor.text(promoted.error?.message ?? promoted.status)}${promoted.error?.hint ? `\n${promoted.error.hint}` : ''}`);
    return { outcome: promoted.status === 'refused' || promoted.status === 'denied' ? 'refused' : 'failed', data: {}, calls };
  }
  if (request.schedule === undefined) {
    ctx.say(
      `Next: a reviewer merges the pull request; then \`honua deploy -e ${request.to}\`, or schedule it: \`honua-ai schedule deployment -e ${request.to} --ref ${ref ?? 'main'} --at "next-tuesday 10:00"\` — ${request.to}'s policy and approvals apply.`,
    );
    return { outcome: 'done', data: { ...(promotion ? { promotion } : {}) }, calls };
  }
  const step = await scheduleStep(ctx, calls, {
    environment: request.to,
    at: request.schedule,
    ...(request.migration ? { migration: request.migration } : ref ? { ref } : {}),
    nextSlot: request.nextSlot,
  });
  if (!step.scheduled) {
    ctx.say(`Not scheduled (${step.refused}).`);
    return { outcome: step.outcome, data: { ...(promotion ? { promotion } : {}) }, calls };
  }
  ctx.say(
    `${step.outcome === 'done' ? 'Scheduled' : 'Not scheduled'}: ${step.scheduled.id} for ${step.scheduled.scheduledFor ?? request.schedule} (${step.scheduled.state}). ${step.scheduled.next}`,
  );
  return { outcome: step.outcome, data: { ...(promotion ? { promotion } : {}), scheduled: step.scheduled }, calls };
}

/** `honua-ai schedule migration|deployment`: one schedule_deployment, with the next slot offered when outside the window. */
export async function scheduleFlow(
  ctx: FlowContext,
  request: { environment: string; at: string; ref?: string | undefined; migration?: string | undefined; nextSlot?: boolean | undefined },
): Promise<FlowResult<{ scheduled?: Scheduled }>> {
  const calls: FlowResult['calls'] = [];
  const step = await scheduleStep(ctx, calls, request);
  if (!step.scheduled) {
    ctx.say(`Not scheduled (${step.refused}).`);
    return { outcome: step.outcome, data: {}, calls };
  }
  ctx.say(
    `${step.outcome === 'done' ? 'Scheduled' : 'Not scheduled'}: ${step.scheduled.id} for ${step.scheduled.scheduledFor} (${step.scheduled.state}). ${step.scheduled.next}`,
  );
  return { outcome: step.outcome, data: { scheduled: step.scheduled }, calls };
}
