import { requireState } from '../../config/index.js';
import { estimateStep, formatSeconds } from '../../plan/index.js';
import { callTool, type FlowContext, type FlowResult, output } from './flow-context.js';

/**
 * `honua-ai migrate plan`: the pending migrations planned across every environment — the steps
 * with rough durations from the tables' sizes, the rollback plan (down steps, or a backup when
 * there are none), the risk and the policy decision per environment, whether an approval is
 * needed — ending with the command that deploys each (`honua deploy migration ID -e ENV`). Read
 * only: plans come from `plan_deployment`, what the database has applied from the engine.
 */
export interface EnvironmentMigrationPlan {
  environment: string;
  database: 'reachable' | 'unreachable';
  /** Why the database could not be read, when it could not. */
  reason?: string | undefined;
  pending: Array<{
    id: string;
    name: string;
    description: string;
    steps: Array<{ name: string; estimate: string; basis: string }>;
    totalSeconds: number;
    rollback: string[];
  }>;
  risk: string;
  riskReasons: string[];
  policy: string;
  approval: { required: boolean; approvers: string[] };
  window?: string | undefined;
  commands: string[];
}

interface PlanOut {
  environment: string;
  risk: { level: string; reasons: string[] };
  migrations: { pending: Array<{ id: string; name: string; description: string; reversible: boolean; rollback: Array<{ name: string }> }> };
  policy: { outcome: string; reasons: string[]; approval: { required: boolean; approvers: string[] }; blockedUntilLocal?: string };
}

export async function migratePlanFlow(
  ctx: FlowContext,
  request: { environments?: string[] | undefined } = {},
): Promise<FlowResult<{ environments: EnvironmentMigrationPlan[] }>> {
  const calls: FlowResult['calls'] = [];
  const listed = output<{ environments: Array<{ name: string }> }>(await callTool(ctx, calls, 'list_environments', {}));
  const names = (listed?.environments ?? []).map((e) => e.name).filter((n) => !request.environments || request.environments.includes(n));
  const repo = await ctx.engine.workspace.config();
  const plans: EnvironmentMigrationPlan[] = [];
  for (const environment of names) {
    // plan_deployment plans against what the environment runs, as a deployment would.
    const plan = output<PlanOut>(await callTool(ctx, calls, 'plan_deployment', { environment }));
    if (!plan) continue;
    // What the database itself has applied is the truth when it answers; else the plan's view.
    let pendingIds = new Set(plan.migrations.pending.map((m) => m.name));
    let database: EnvironmentMigrationPlan['database'] = 'unreachable';
    let reason: string | undefined;
    const rows = new Map<string, number>();
    try {
      const fromDb = await ctx.engine.migrationPlan({ environment });
      pendingIds = new Set(fromDb.pending.map((m) => m.name));
      database = 'reachable';
      for (const t of (await ctx.engine.inspect({ environment })).tables) {
        const n = t.rows ?? t.estimatedRows;
        if (n !== null && n !== undefined) {
          rows.set(`${t.schema}.${t.name}`.toLowerCase(), n);
          if (!rows.has(t.name.toLowerCase())) rows.set(t.name.toLowerCase(), n);
        }
      }
    } catch (error) {
      reason = ctx.runner.redactor.text(error instanceof Error ? error.message : String(error));
    }
    const state = requireState(repo, environment);
    const pending = state.migrations
      .filter((m) => pendingIds.has(m.name))
      .map((m) => {
        const steps = m.up.map((s) => {
          const e = s.type === 'sql' ? estimateStep(s.sql, (t) => rows.get(t)) : { seconds: 0, basis: 'configuration change' };
          return { name: s.name, estimate: database === 'reachable' ? formatSeconds(e.seconds) : 'unknown', basis: e.basis, seconds: e.seconds };
        });
        return {
          id: m.id,
          name: m.name,
          description: m.description,
          steps: steps.map(({ seconds: _s, ...rest }) => rest),
          totalSeconds: steps.reduce((a, s) => a + s.seconds, 0),
          rollback: m.down.length > 0 ? m.down.map((d) => d.name) : ['no down steps: restore the pre-deployment backup (data written since is lost)'],
        };
      });
    plans.push({
      environment,
      database,
      ...(reason ? { reason } : {}),
      pending,
      risk: plan.risk.level,
      riskReasons: plan.risk.reasons,
      policy: plan.policy.outcome,
      approval: plan.policy.approval,
      ...(plan.policy.blockedUntilLocal ? { window: `next allowed ${plan.policy.blockedUntilLocal}` } : {}),
      commands: pending.map((m) => `honua deploy migration ${m.id} -e ${environment}`),
    });
  }
  for (const p of plans) {
    ctx.say(`\n## ${p.environment}${p.database === 'unreachable' ? ` (database not readable from here: ${p.reason ?? 'unknown'}; durations unknown)` : ''}`);
    if (p.pending.length === 0) {
      ctx.say('No pending migrations.');
      continue;
    }
    for (const m of p.pending) {
      ctx.say(`\n${m.name} — ${m.description}`);
      for (const s of m.steps) ctx.say(`  ${s.estimate.padEnd(8)} ${s.name} (${s.basis})`);
      if (p.database === 'reachable') ctx.say(`  total ${formatSeconds(Math.max(1, m.totalSeconds))} (an estimate from table sizes)`);
      ctx.say(`  rollback: ${m.rollback.join('; ')}`);
    }
    ctx.say(`Risk: ${p.risk}${p.riskReasons.length > 0 ? ` — ${p.riskReasons.join('; ')}` : ''}`);
    ctx.say(
      `Policy: ${p.policy}${p.approval.required ? `; approval by ${p.approval.approvers.join(' or ') || 'an approver'}` : '; no approval needed'}${p.window ? `; ${p.window}` : ''}`,
    );
    ctx.say(`Deploy with: ${p.commands.join(' && ')}`);
  }
  return { outcome: 'done', data: { environments: plans }, calls };
}
