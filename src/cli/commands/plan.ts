import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PlanRequest } from '../../engine/index.js';
import { UsageError } from '../../errors/index.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import { renderPlan } from '../render/plan.js';
import { parseAt } from '../workspace.js';
import type { CommandResult } from '../program.js';

export interface PlanOptions {
  repo?: string;
  environment: string;
  ref?: string;
  against?: string;
  at?: string;
  lastDeployment?: string;
  active?: string;
}

/** The Engine's plan request from the `plan` and `policy-check` options. */
export function planRequest(opts: PlanOptions): PlanRequest {
  const active = opts.active === undefined ? undefined : Number(opts.active);
  if (active !== undefined && (!Number.isInteger(active) || active < 0))
    throw new UsageError('bad-number', `--active-deployments "${opts.active}" is not a whole number`);
  const at = parseAt(opts.at);
  const last = parseAt(opts.lastDeployment, '--last-deployment');
  return {
    environment: opts.environment,
    ...(opts.ref !== undefined ? { ref: opts.ref } : {}),
    ...(opts.against !== undefined ? { against: opts.against } : {}),
    ...(at !== undefined ? { at } : {}),
    ...(last !== undefined ? { lastDeploymentAt: last } : {}),
    ...(active !== undefined ? { activeDeployments: active } : {}),
  };
}

export const addPlanOptions = (cmd: Command): Command =>
  cmd
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .requiredOption('-e, --environment <env>', 'environment to plan for')
    .option('--ref <ref>', 'the desired configuration at a commit, branch or tag (default: the working tree)')
    .option('--against <ref>', 'the baseline (what is deployed) at a commit; default: nothing deployed (the policy at the base commit then decides)')
    .option('--at <time>', 'evaluate the policy at this ISO 8601 time instead of now')
    .option('--last-deployment <time>', 'when the last deployment to the environment finished (for the cooldown)')
    .option('--active-deployments <n>', 'deployments to the environment running now (for the concurrency limit)');

export function registerPlan(program: Command, io: Io, done: CommandResult): void {
  addPlanOptions(program.command('plan').description('Plan a deployment: semantic diff, breaking changes, migration order, risk and the policy decision'))
    .option('--json', 'print the plan as JSON (schema: honua.plan/v1)')
    .option('--out <file>', 'also write the JSON plan to a file')
    .addHelpText(
      'after',
      `
Planning never applies anything. Exit codes: 0 plan made, 1 invalid configuration, 2 usage error.

Examples:
  honua plan -e production                         # working tree vs nothing deployed
  honua plan -e production --ref main --against v1.4.0
  honua plan -e production --json --out plan.json`,
    )
    .action(async (opts: PlanOptions & { json?: boolean; out?: string; activeDeployments?: string }) => {
      const request = planRequest({ ...opts, ...(opts.activeDeployments !== undefined ? { active: opts.activeDeployments } : {}) });
      const plan = await withEngine(io, { repo: opts.repo ?? io.cwd }, (engine) => engine.plan(request));
      if (opts.out !== undefined) await writeFile(opts.out, `${JSON.stringify(plan, null, 2)}\n`);
      if (opts.json) writeJson(io, plan);
      else io.stdout.write(`${renderPlan(plan, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
      done.code = EXIT.ok;
    });
}
