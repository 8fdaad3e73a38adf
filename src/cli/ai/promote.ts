import type { Command } from 'commander';
import { promoteFlow } from '../../ai/index.js';
import { UsageError } from '../../errors/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/**
 * `honua-ai promote --from staging --to production [--schedule WHEN] [--migration ID]` (seeds
 * 000, 004): compare the environments, check the source's health and history, propose the
 * promotion as a branch and pull request, and — with --schedule — schedule its deployment inside
 * the target's window (an operate call, confirmed by a person; the approvals stay human).
 */
export function registerPromote(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addFlowOptions(
    program.command('promote').description("Promote one environment's state to the next as a pull request, and optionally schedule its deployment"),
  )
    .requiredOption('--from <env>', 'the environment whose state is promoted (e.g. staging)')
    .requiredOption('--to <env>', 'the environment that receives it (e.g. production)')
    .option('--schedule <when>', 'also schedule the deployment: "next-tuesday 10:00", "next-tuesday 10:00-12:00", "2026-12-08 10:00" (the policy\'s time zone)')
    .option('--migration <id>', 'schedule only this migration (and what it depends on)')
    .option('--next-slot', 'outside the window: take the next allowed slot without asking which')
    .addHelpText(
      'after',
      `
A time outside every window of the target's policy (or in a blackout) is refused with the next
allowed slot, which is offered instead. With --schedule the session is in operate mode: the
schedule is asked for every time (never covered by --yes). Nothing here approves: where the
policy asks for an approval, an approver runs honua deployment approve ID.

Examples:
  honua-ai promote --from staging --to production
  honua-ai promote --from staging --to production --schedule "next-tuesday 10:00"
  honua-ai promote --from staging --to production --migration 003 --schedule "next-tuesday 10:00-12:00"`,
    )
    .action(async (opts: FlowFlags & { from: string; to: string; schedule?: string; migration?: string; nextSlot?: boolean }) => {
      if (opts.migration && !opts.schedule) throw new UsageError('missing-option', '--migration goes with --schedule (it schedules that migration)');
      await runFlow(io, program, done, opts, { mode: opts.schedule ? 'operate' : 'propose', hooks }, (ctx) =>
        promoteFlow(ctx, { from: opts.from, to: opts.to, schedule: opts.schedule, migration: opts.migration, ...(opts.nextSlot ? { nextSlot: true } : {}) }),
      );
    });
}
