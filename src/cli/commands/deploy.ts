import type { Command } from 'commander';
import type { DeployEvent, DeploymentRecord } from '../../deploy/index.js';
import type { DeployRequest, Engine } from '../../engine/index.js';
import { UsageError } from '../../errors/index.js';
import { addDeployOptions, type DeployCommandOptions, deployRuntime, tokenOf, waitOf } from '../deploy-options.js';
import { withEngine } from '../engine.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { deploymentExit, deploymentOutcome, deployProgress } from '../render/deployment.js';

interface DeployOptions extends DeployCommandOptions {
  environment: string;
  ref?: string;
  autoApprove?: boolean;
  force?: boolean;
}

/** Runs a deployment request through the engine with progress on stderr, then the outcome (or the record as JSON) and its exit code. */
export async function runDeployment(
  io: Io,
  program: Command,
  done: CommandResult,
  opts: DeployCommandOptions,
  environment: string | undefined,
  call: (engine: Engine, onEvent: ((e: DeployEvent) => void) | undefined) => Promise<DeploymentRecord>,
): Promise<void> {
  const style = Style.detect(io, 'stderr', program.opts().color as boolean | undefined);
  const progress = opts.json ? undefined : deployProgress((t) => void io.stderr.write(t), style);
  const record = await withEngine(io, deployRuntime(opts, environment), (engine) => call(engine, progress));
  if (opts.json) writeJson(io, record);
  else io.stdout.write(`${deploymentOutcome(record, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
  done.code = deploymentExit(record);
}

export function registerDeploy(program: Command, io: Io, done: CommandResult): void {
  const request = (opts: DeployOptions, extra: Partial<DeployRequest> = {}): DeployRequest => {
    const token = tokenOf(io, opts);
    const waitMs = waitOf(opts);
    return {
      environment: opts.environment,
      ...(opts.ref !== undefined ? { ref: opts.ref } : {}),
      ...(opts.autoApprove ? { autoApprove: true } : {}),
      ...(opts.force ? { force: true } : {}),
      ...(token ? { token } : {}),
      ...(waitMs !== undefined ? { waitMs } : {}),
      ...extra,
    };
  };

  addDeployOptions(
    program
      .command('deploy')
      .description(
        'Deploy a commit to an environment: validate, plan, approval when the policy asks, backup, apply, verify, and roll back by itself on failure',
      ),
  )
    .argument('[what]', '"migration" to deploy one migration (and the ones it depends on), keeping what is deployed otherwise')
    .argument('[id]', 'with migration: its id or name (003 or 003_optimize_bike_lanes)')
    .requiredOption('-e, --environment <env>', 'the environment to deploy to')
    .option('--ref <ref>', 'the commit, branch or tag to deploy (default HEAD)')
    .option('--auto-approve', 'expect no approval (refused where the policy requires one)')
    .option('--force', 'deploy a quarantined commit (one that was rolled back) anyway')
    .addHelpText(
      'after',
      `
Exit codes: 0 completed; 3 waiting (for an approval, or for the deployment window: the id and when
it opens are printed); 1 failed, rolled back, rejected or expired; 2 usage error.

Examples:
  honua deploy -e dev --auto-approve
  honua deploy -e production --ref v1.4.0        # waits for approval (exit 3)
  honua deploy migration 003 -e dev               # one migration and what it needs`,
    )
    .action(async (what: string | undefined, id: string | undefined, opts: DeployOptions) => {
      if (what !== undefined && what !== 'migration')
        throw new UsageError('bad-argument', `honua deploy ${what}: the only thing deployed on its own is a migration`, {
          hint: 'honua deploy -e ENV, or honua deploy migration ID -e ENV.',
        });
      if (what === 'migration' && id === undefined)
        throw new UsageError('bad-argument', "honua deploy migration needs the migration's id or name", { hint: 'e.g. honua deploy migration 003 -e dev' });
      const extra: Partial<DeployRequest> = what === 'migration' ? { kind: 'migration', migration: id as string } : {};
      await runDeployment(io, program, done, opts, opts.environment, (engine, onEvent) => engine.deploy(request(opts, extra), { onEvent, via: 'cli' }));
    });

  const dev = program.command('dev').description('Local development');
  addDeployOptions(dev.command('apply').description('Deploy the working tree (uncommitted changes included) to a development environment, to test it'))
    .option('-e, --environment <env>', 'the environment (not production)', 'development')
    .action(async (opts: DeployOptions) => {
      await runDeployment(io, program, done, opts, opts.environment, (engine, onEvent) =>
        engine.deploy(request(opts, { kind: 'dev-apply' }), { onEvent, via: 'cli' }),
      );
    });
}
