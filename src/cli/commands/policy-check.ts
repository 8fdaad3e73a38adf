import type { Command } from 'commander';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import { renderDecision } from '../render/policy.js';
import { addPlanOptions, type PlanOptions, planRequest } from './plan.js';
import type { CommandResult } from '../program.js';

export function registerPolicyCheck(program: Command, io: Io, done: CommandResult): void {
  addPlanOptions(program.command('policy-check').description("Would the environment's deployment policy let this change deploy now (or at --at)?"))
    .option('--json', 'print the decision as JSON (schema: honua.policy-check/v1)')
    .addHelpText(
      'after',
      `
Exit codes: 0 may proceed, 3 blocked (needs approval, outside the window, blackout, cooldown,
concurrency), 1 denied (e.g. breaking changes where they are not allowed) or invalid configuration,
2 usage error.

Examples:
  honua policy-check -e production
  honua policy-check -e production --at 2025-11-08T10:00:00-08:00
  honua policy-check -e production --last-deployment 2025-11-04T17:30:00Z`,
    )
    .action(async (opts: PlanOptions & { json?: boolean; activeDeployments?: string }) => {
      const request = planRequest({ ...opts, ...(opts.activeDeployments !== undefined ? { active: opts.activeDeployments } : {}) });
      const report = await withEngine(io, { repo: opts.repo ?? io.cwd }, (engine) => engine.policyCheck(request));
      const decision = report.decision;
      if (opts.json) writeJson(io, report);
      else {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        const s = report.summary;
        io.stdout.write(
          `${style.bold(`Environment: ${report.environment}`)} — ${s.added} new, ${s.modified} modified, ${s.removed} removed, ${s.migrations} migration(s), ${s.breaking} breaking; risk ${report.risk.level}\n${renderDecision(decision, style).join('\n')}\n`,
        );
      }
      done.code = decision.outcome === 'proceed' ? EXIT.ok : decision.outcome === 'denied' ? EXIT.failed : EXIT.blocked;
    });
}
