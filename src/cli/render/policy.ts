import { type PolicyDecision, formatLocal } from '../../policy/index.js';
import type { Style } from '../io.js';

const OUTCOME = {
  proceed: 'PROCEED',
  'needs-approval': 'NEEDS APPROVAL',
  blocked: 'BLOCKED',
  denied: 'DENIED',
} as const;

export function renderDecision(d: PolicyDecision, style: Style): string[] {
  const out: string[] = [];
  const files = d.policyFiles.length > 0 ? d.policyFiles.join(' + ') : `built-in ${d.environment} default`;
  out.push(`Policy Check (${files}):`);
  for (const c of d.checks) {
    const mark = c.status === 'pass' ? style.green('✓') : c.status === 'fail' ? style.red('✗') : style.cyan('•');
    out.push(`  ${mark} ${c.message}`);
  }
  const color = d.outcome === 'proceed' ? style.green : d.outcome === 'needs-approval' ? style.yellow : style.red;
  out.push('', `Decision: ${color(style.bold(OUTCOME[d.outcome]))}${d.reasons.length > 0 ? ` — ${d.reasons.join('; ')}` : ''}`);
  if (d.outcome === 'needs-approval' && d.approval.approvers.length > 0) {
    out.push(
      style.dim(
        `  ${d.approval.minApprovals} approval(s) from ${d.approval.approvers.join(', ')}${d.approval.fourEyes ? '; the author of the change cannot approve it' : ''}`,
      ),
    );
  }
  // The policy's local time, named by its zone, and the same instant in UTC: never a UTC time labelled with a zone.
  out.push(style.dim(`  evaluated at ${formatLocal(new Date(d.evaluatedAt), d.timezone)} (${d.timezone}; ${d.evaluatedAt.replace(/\.\d{3}Z$/, 'Z')} UTC)`));
  return out;
}
