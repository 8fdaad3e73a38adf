import type { Command } from 'commander';
import { rollbackFlow } from '../../ai/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/**
 * `honua-ai rollback ENV`: what will be undone, a person's confirmation, the rollback followed to
 * its end, a summary, and the revert proposed as a branch and pull request so git matches what
 * runs again ("git revert = rollback").
 */
export function registerRollback(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addFlowOptions(
    program.command('rollback').description('Roll an environment back, explained and confirmed, then propose the revert').argument('<env>', 'the environment'),
  )
    .option('--to <deployment>', 'roll back to this deployment (default: the one before what runs)')
    .option('--to-commit <sha>', 'roll back to the deployment of this commit')
    .option('--no-revert', 'do not propose the revert commit afterwards')
    .addHelpText(
      'after',
      `
The rollback is an operate call: you confirm it at the prompt every time (--yes never covers it;
a script without a terminal is refused). With --server it runs on that server.

Examples:
  honua-ai rollback production
  honua-ai rollback staging --to staging-20261201090000-ab12cd3`,
    )
    .action(async (env: string, opts: FlowFlags & { to?: string; toCommit?: string; revert?: boolean }) =>
      runFlow(io, program, done, { ...opts, environment: env }, { mode: 'operate', hooks }, (ctx) =>
        rollbackFlow(ctx, { environment: env, toDeployment: opts.to, toCommit: opts.toCommit, revert: opts.revert !== false }),
      ),
    );
}
