import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { addDeployOptions, type DeployCommandOptions, tokenOf, waitOf } from '../deploy-options.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../program.js';
import { runDeployment } from './deploy.js';

interface RollbackOptions extends DeployCommandOptions {
  to?: string;
  toCommit?: string;
  environment?: string;
  commit?: string;
  includeDatabase?: boolean;
  backup?: string;
  verify?: boolean;
  force?: boolean;
}

export function registerRollback(program: Command, io: Io, done: CommandResult): void {
  addDeployOptions(
    program.command('rollback').description('Roll an environment back to an earlier deployment, as a new deployment of its snapshot (subject to the policy)'),
  )
    .argument('<environment>', 'the environment')
    .option('--to <deployment>', 'the deployment to go back to (default: the one before the active one)')
    .option('--to-commit <sha>', 'the completed deployment of this commit')
    .action(async (environment: string, opts: RollbackOptions) => {
      if (opts.to !== undefined && opts.toCommit !== undefined) throw new UsageError('conflicting-options', 'give --to or --to-commit, not both');
      const token = tokenOf(io, opts);
      const waitMs = waitOf(opts);
      await runDeployment(io, program, done, opts, environment, (engine, onEvent) =>
        engine.rollback(
          {
            environment,
            ...(opts.to !== undefined ? { toDeployment: opts.to } : {}),
            ...(opts.toCommit !== undefined ? { toCommit: opts.toCommit } : {}),
            ...(token ? { token } : {}),
            ...(waitMs !== undefined ? { waitMs } : {}),
          },
          { onEvent, via: 'cli' },
        ),
      );
    });

  addDeployOptions(
    program
      .command('restore')
      .description('Disaster recovery: rebuild an environment from a commit (and a database backup), verify it, and record it as a deployment'),
  )
    .requiredOption('-e, --environment <env>', 'the environment')
    .requiredOption('--commit <sha>', 'the commit to rebuild from')
    .option('--include-database', 'restore the database from a backup first')
    .option('--backup <id>', 'the backup (default: the newest of the environment)')
    .option('--verify', "verify after restoring (always done; accepted for the seed's command line)")
    .option('--force', 'restore a quarantined commit anyway')
    .action(async (opts: RollbackOptions) => {
      if (opts.backup !== undefined && !opts.includeDatabase)
        throw new UsageError('conflicting-options', '--backup names the database backup to restore: give --include-database too');
      const token = tokenOf(io, opts);
      const waitMs = waitOf(opts);
      await runDeployment(io, program, done, opts, opts.environment, (engine, onEvent) =>
        engine.restore(
          {
            environment: opts.environment as string,
            commit: opts.commit as string,
            includeDatabase: opts.includeDatabase === true,
            ...(opts.backup !== undefined ? { backupId: opts.backup } : {}),
            ...(opts.force ? { force: true } : {}),
            ...(token ? { token } : {}),
            ...(waitMs !== undefined ? { waitMs } : {}),
          },
          { onEvent, via: 'cli' },
        ),
      );
    });
}
