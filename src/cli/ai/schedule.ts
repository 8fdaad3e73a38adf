import type { Command } from 'commander';
import { scheduleFlow } from '../../ai/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/**
 * `honua-ai schedule migration 003 -e production --window "next-tuesday 10:00-12:00"` (seed 004)
 * and `honua-ai schedule deployment -e staging --at "tomorrow 09:30"`: an operate call the engine
 * holds in Pending until the time (not started by the window's end, it expires), with the
 * approvals the policy asks for requested at once. Outside every window: refused, with the next
 * allowed slot offered.
 */
export function registerSchedule(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  const schedule = program.command('schedule').description('Schedule a migration or a deployment inside the policy window');
  addFlowOptions(
    schedule.command('migration').description('Schedule one migration (and what it depends on)').argument('<id>', 'the migration id or name (003)'),
  )
    .requiredOption('--window <when>', 'when: "next-tuesday 10:00-12:00" (a range: not started by its end, it expires), or a start time')
    .option('--ref <ref>', 'the commit, branch or tag it comes from (default HEAD)')
    .option('--next-slot', 'outside the window: take the next allowed slot without asking')
    .addHelpText('after', '\nExample:\n  honua-ai schedule migration 003 -e production --window "next-tuesday 10:00-12:00"')
    .action(async (id: string, opts: FlowFlags & { window: string; ref?: string; nextSlot?: boolean }) =>
      runFlow(io, program, done, opts, { mode: 'operate', hooks }, (ctx) =>
        scheduleFlow(ctx, { environment: opts.environment ?? 'development', at: opts.window, migration: id, ref: opts.ref, nextSlot: opts.nextSlot }),
      ),
    );
  addFlowOptions(schedule.command('deployment').description('Schedule a deployment of a commit'))
    .requiredOption('--at <when>', 'when: "next-tuesday 10:00", "tomorrow 09:30", "2026-12-08 10:00" or a range')
    .option('--ref <ref>', 'the commit, branch or tag (default HEAD)')
    .option('--next-slot', 'outside the window: take the next allowed slot without asking')
    .action(async (opts: FlowFlags & { at: string; ref?: string; nextSlot?: boolean }) =>
      runFlow(io, program, done, opts, { mode: 'operate', hooks }, (ctx) =>
        scheduleFlow(ctx, { environment: opts.environment ?? 'development', at: opts.at, ref: opts.ref, nextSlot: opts.nextSlot }),
      ),
    );
}
