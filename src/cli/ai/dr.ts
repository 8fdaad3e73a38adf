import type { Command } from 'commander';
import { drFlow, type RecoveryChoice } from '../../ai/index.js';
import { UsageError } from '../../errors/index.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { addFlowOptions, type FlowFlags, type FlowHooks, runFlow } from './flow-session.js';

/**
 * `honua-ai dr` (alias `disaster-recovery`), seed 004 example 4: a guided recovery. On a terminal
 * it asks (inquirer); in a script the decisions are flags (--what, --option, --commit, --backup)
 * and the restore is still an operate call a person must confirm.
 */
export function registerDr(program: Command, io: Io, done: CommandResult, hooks?: FlowHooks): void {
  addFlowOptions(program.command('dr').alias('disaster-recovery').description('A guided disaster-recovery session: diagnose, choose, restore, verify, report'))
    .option('--what <text>', 'what happened (else asked)')
    .option('--option <choice>', 'latest-backup | last-deployment | commit | abort (else asked)')
    .option('--commit <sha>', 'with --option commit: the commit to restore')
    .option('--backup <id>', 'the backup to restore (default: the latest)')
    .option('--report-dir <dir>', 'where the recovery report goes (default $HONUA_HOME/incidents)')
    .addHelpText(
      'after',
      `
Diagnoses the database (reachable, whole), the layers' health, the repository, the backups and
their ages and the last successful deployment; offers the recovery options with their data-loss
windows; shows the plan (maintenance mode, restore the database, restore the configuration,
verify, leave maintenance mode); restores on your confirmation; verifies; writes a report.
With --server the restore runs on that server, which turns maintenance mode on for it.

Examples:
  honua-ai dr -e production --server https://gis.example.org
  honua-ai dr -e staging --what "tables gone after a bad script" --option latest-backup`,
    )
    .action(async (opts: FlowFlags & { what?: string; option?: string; commit?: string; backup?: string; reportDir?: string }) => {
      let choice: RecoveryChoice | undefined;
      if (opts.option !== undefined) {
        if (opts.option === 'commit') {
          if (!opts.commit) throw new UsageError('missing-option', '--option commit needs --commit SHA');
          choice = { kind: 'commit', commit: opts.commit };
        } else if (opts.option === 'latest-backup' || opts.option === 'last-deployment' || opts.option === 'abort') choice = { kind: opts.option };
        else throw new UsageError('bad-argument', `--option "${opts.option}" is not latest-backup, last-deployment, commit or abort`);
      }
      const environment = opts.environment ?? 'production';
      await runFlow(io, program, done, { ...opts, environment }, { mode: 'operate', hooks }, (ctx) =>
        drFlow(ctx, {
          environment,
          what: opts.what,
          choice,
          backupId: opts.backup,
          viaServer: Boolean(opts.server ?? io.env.HONUA_SERVER),
          ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
        }),
      );
    });
}
