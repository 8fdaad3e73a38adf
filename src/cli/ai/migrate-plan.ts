import type { Command } from 'commander';
import { migratePlanFlow } from '../../ai/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/** `honua-ai migrate plan` (seed 004): the pending migrations planned across every environment. */
export function registerMigratePlan(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  const migrate = program.command('migrate').description('Plan migrations across environments');
  addFlowOptions(migrate.command('plan').description('Pending migrations in every environment: steps with estimated durations, rollback plan, risk, approvals'))
    .option('--only <envs>', 'only these environments (comma-separated)')
    .addHelpText(
      'after',
      '\nRead-only. Ends with the command that deploys each migration (honua deploy migration ID -e ENV).\n\nExample:\n  honua-ai migrate plan --database-url postgres://...',
    )
    .action(async (opts: FlowFlags & { only?: string }) =>
      runFlow(io, program, done, opts, { mode: 'read-only', hooks }, (ctx) =>
        migratePlanFlow(ctx, opts.only ? { environments: opts.only.split(',').map((s) => s.trim()) } : {}),
      ),
    );
}
