import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { lintAll } from '../../db/lint/lint-repo.js';
import { basePolicy } from '../../engine/base-policy.js';
import { findConfigRoot } from '../../source/open-source.js';
import { createPlan, type Plan } from '../../plan/plan.js';
import { UsageError } from '../../errors/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import { renderPlan } from '../render/plan.js';
import { loadConfig, parseAt, requireState } from '../workspace.js';
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

/** Builds the plan the `plan` and `policy-check` commands show. */
export async function planFromOptions(io: Io, opts: PlanOptions): Promise<Plan> {
  const repoDir = opts.repo ?? io.cwd;
  const [desiredRepo, baselineRepo] = await Promise.all([loadConfig(repoDir, opts.ref), opts.against === undefined ? undefined : loadConfig(repoDir, opts.against)]);
  const desired = requireState(desiredRepo, opts.environment);
  const baseline = baselineRepo ? requireState(baselineRepo, opts.environment) : null;
  const active = opts.active === undefined ? undefined : Number(opts.active);
  if (active !== undefined && (!Number.isInteger(active) || active < 0)) throw new UsageError('bad-number', `--active-deployments "${opts.active}" is not a whole number`);
  // Nothing deployed to compare with: the change is judged by its base's policy, never by its own.
  const base = baseline ? undefined : await basePolicy(await findConfigRoot(repoDir), opts.environment, opts.ref);
  return createPlan({
    desired,
    baseline,
    ...(base ? { basePolicy: base } : {}),
    lintFindings: await lintAll(desired.migrations),
    context: {
      now: parseAt(opts.at),
      ...(opts.lastDeployment !== undefined ? { lastDeploymentAt: parseAt(opts.lastDeployment, '--last-deployment') } : {}),
      ...(active !== undefined ? { activeDeployments: active } : {}),
    },
  });
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
      const plan = await planFromOptions(io, { ...opts, ...(opts.activeDeployments !== undefined ? { active: opts.activeDeployments } : {}) });
      if (opts.out !== undefined) await writeFile(opts.out, `${JSON.stringify(plan, null, 2)}\n`);
      if (opts.json) writeJson(io, plan);
      else io.stdout.write(`${renderPlan(plan, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
      done.code = EXIT.ok;
    });
}
