import type { Plan } from '../../plan/index.js';
import type { Style } from '../io.js';
import { renderBreaking, renderChanges } from './changes.js';
import { describeRef } from './diff.js';
import { renderDecision } from './policy.js';

/** The plan for people, in the shape of seed 004's "Deployment Plan" block. */
export function renderPlan(plan: Plan, style: Style): string {
  const out: string[] = [];
  out.push(style.bold('Deployment Plan'));
  out.push('─'.repeat(45));
  out.push(`Environment: ${style.bold(plan.environment)}`);
  out.push(`From: ${describeRef(plan.from)}`);
  out.push(`To:   ${describeRef(plan.to)}`);
  out.push('');
  const s = plan.summary;
  if (plan.changes.length === 0) out.push('Changes: none');
  else {
    out.push(`Changes: ${s.added} new, ${s.modified} modified, ${s.removed} removed`);
    out.push(...renderChanges(plan.changes, style));
  }
  out.push('');
  if (plan.breakingChanges.length === 0) out.push(`Breaking changes: ${style.green('none')}`);
  else {
    out.push(style.red(`Breaking changes (${plan.breakingChanges.length}):`));
    out.push(...renderBreaking(plan.breakingChanges, style));
  }
  out.push('');
  const pending = plan.migrations.pending;
  if (pending.length === 0) out.push(`Migrations: none pending${plan.migrations.applied.length > 0 ? ` (${plan.migrations.applied.length} applied)` : ''}`);
  else {
    out.push(`Migrations (${pending.length}, in order):`);
    pending.forEach((m, i) => {
      out.push(`  ${i + 1}. ${style.bold(m.name)} — ${m.description}`);
      m.steps.forEach((st, j) =>
        out.push(`       Step ${j + 1}: ${st.name} ${style.dim(`(${st.type}${st.transactional === false ? ', outside a transaction' : ''})`)}`),
      );
      if (m.reversible) out.push(`       Rollback: ${m.rollback.map((r) => r.name).join(', ')}`);
      else out.push(`       ${style.yellow('Rollback: none (no down steps)')}`);
    });
  }
  if (plan.migrations.blocked.length > 0) out.push(style.red(`  Cannot run (dependency cycle): ${plan.migrations.blocked.join(', ')}`));
  out.push('');
  const color = plan.risk.level === 'LOW' ? style.green : plan.risk.level === 'MEDIUM' ? style.yellow : style.red;
  out.push(`Risk Level: ${color(style.bold(plan.risk.level))}`);
  for (const r of plan.risk.reasons) out.push(`  - ${r}`);
  out.push(`Automatic Rollback: ${plan.rollback.automatic ? 'YES' : style.yellow('NO')}`);
  out.push(`Approval Required: ${plan.policy.approval.required ? style.yellow('YES') : 'NO'}`);
  out.push('');
  if (plan.policySource === 'baseline')
    out.push(style.dim('The deployed policy governs this deployment; policy changes in it take effect once it is deployed.'));
  if (plan.policySource === 'base')
    out.push(
      style.dim(
        `The policy at the base commit (${plan.policyFrom?.commit?.slice(0, 7) ?? 'HEAD'}) governs this change; policy changes in it take effect once it is deployed.`,
      ),
    );
  out.push(...renderDecision(plan.policy, style));
  if (plan.warnings.length > 0) {
    out.push('', style.yellow('Warnings:'));
    for (const w of plan.warnings) out.push(`  ${style.yellow('!')} ${w}`);
  }
  return out.join('\n');
}
