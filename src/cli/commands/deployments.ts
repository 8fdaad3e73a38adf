import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { addDeployOptions, type DeployCommandOptions, deployRuntime, tokenOf, waitOf } from '../deploy-options.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { renderDeployment, renderDeployments } from '../render/deployment.js';
import { runDeployment } from './deploy.js';

interface ListOptions extends DeployCommandOptions {
  limit?: string;
  comment?: string;
}

export function registerDeployments(program: Command, io: Io, done: CommandResult): void {
  addDeployOptions(program.command('deployments').description('The deployments of an environment, newest first'))
    .argument('<environment>', 'the environment')
    .option('--limit <n>', 'at most this many', '20')
    .action(async (environment: string, opts: ListOptions) => {
      const limit = Number(opts.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('bad-number', `--limit "${opts.limit}" is not a positive whole number`);
      const list = await withEngine(io, deployRuntime(opts, environment), (engine) => engine.deployments({ environment, limit }));
      if (opts.json) writeJson(io, list);
      else io.stdout.write(list.length === 0 ? `No deployments of ${environment} yet.\n` : `${renderDeployments(list)}\n`);
      done.code = EXIT.ok;
    });

  const deployment = program.command('deployment').description('One deployment: show it, approve or reject it, resume it');

  addDeployOptions(deployment.command('show').description('A deployment in full: plan, policy, approvals, steps, checks and its timeline'))
    .argument('<id>', 'the deployment id (honua deployments ENV lists them)')
    .action(async (id: string, opts: DeployCommandOptions) => {
      const record = await withEngine(io, deployRuntime(opts), (engine) => engine.deployment(id));
      if (opts.json) writeJson(io, record);
      else io.stdout.write(`${renderDeployment(record, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
      done.code = EXIT.ok;
    });

  for (const decision of ['approve', 'reject'] as const) {
    addDeployOptions(
      deployment
        .command(decision)
        .description(
          decision === 'approve'
            ? 'Approve a deployment waiting for you (needs your token when the policy names approvers); it then goes on to its end, window permitting'
            : 'Reject a deployment waiting for approval',
        ),
    )
      .argument('<id>', 'the deployment id')
      .option('--comment <text>', 'why (recorded with the decision)')
      .action(async (id: string, opts: ListOptions) => {
        const token = tokenOf(io, opts);
        const waitMs = waitOf(opts);
        const request = { id, ...(token ? { token } : {}), ...(opts.comment ? { comment: opts.comment } : {}), ...(waitMs !== undefined ? { waitMs } : {}) };
        await runDeployment(io, program, done, opts, undefined, (engine, onEvent) =>
          decision === 'approve' ? engine.approve(request, { onEvent, via: 'cli' }) : engine.reject(request, { onEvent, via: 'cli' }),
        );
      });
  }

  addDeployOptions(deployment.command('resume').description('Continue a deployment: one a stopped process left running, or one whose window has opened'))
    .argument('<id>', 'the deployment id')
    .action(async (id: string, opts: DeployCommandOptions) => {
      const token = tokenOf(io, opts);
      const waitMs = waitOf(opts);
      await runDeployment(io, program, done, opts, undefined, (engine, onEvent) =>
        engine.resume({ id, ...(token ? { token } : {}), ...(waitMs !== undefined ? { waitMs } : {}) }, { onEvent, via: 'cli' }),
      );
    });
}
