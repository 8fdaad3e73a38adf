import type { DeployEvent, DeploymentRecord, DeploymentState, EnvironmentStatus, Verification } from '../../deploy/index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../io.js';
import { migrationProgress } from './migration-progress.js';

/** How deployments read in a terminal: progress per phase with timings (seed 004), records, the status box and the history table (seed 002). */
export const seconds = (ms: number | undefined): string =>
  ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 60_000)}m`;

const short = (commit: string): string => (commit === 'working-tree' ? 'working tree' : commit.slice(0, 7));

const PHASE_LINE: Partial<Record<DeploymentState, string>> = {
  Validating: 'Validating the configuration',
  Planning: 'Planning against what is deployed',
  AwaitingApproval: 'Awaiting approval',
  BackingUp: 'Backing up',
  Applying: 'Executing',
  PostValidating: 'Validating',
  RollingBack: 'Rolling back',
};

export function stateMark(state: DeploymentState, style: Style): string {
  if (state === 'Completed') return style.green('✓');
  if (state === 'RolledBack') return style.yellow('↺');
  if (state === 'Failed' || state === 'Rejected' || state === 'Expired') return style.red('✗');
  if (state === 'AwaitingApproval' || state === 'Pending') return style.yellow('⏸');
  return style.cyan('…');
}

/** Progress lines on stderr while a deployment runs. */
export function deployProgress(write: (text: string) => void, style: Style): (e: DeployEvent) => void {
  const migration = migrationProgress(write, style, '  ');
  let since = Date.now();
  return (e) => {
    if (e.type === 'transition') {
      const took = Date.now() - since;
      since = Date.now();
      if (e.from === null) write(`${style.bold(e.reason.replace(/^(\w[\w-]*) /, (k) => `${k[0]?.toUpperCase()}${k.slice(1)}`))} ${style.dim(`(${e.id})`)}\n`);
      else if (e.to === 'Completed') write(`${style.green('✓')} Completed ${style.dim(`(${e.reason}; last phase ${seconds(took)})`)}\n`);
      else if (e.to === 'RolledBack') write(`${style.yellow('↺')} Rolled back: ${e.reason}\n`);
      else if (e.to === 'RollingBack') write(`${style.yellow('⚠')}  ${e.reason}\n${style.yellow('Automatic rollback initiated…')}\nRolling back:\n`);
      else if (e.to === 'Failed' || e.to === 'Rejected' || e.to === 'Expired') write(`${style.red('✗')} ${e.to}: ${e.reason}\n`);
      else if (e.to === 'Pending') write(`${style.yellow('⏸')} Waiting: ${e.reason}\n`);
      else if (e.to === 'AwaitingApproval') write(`${style.yellow('⏸')} ${e.reason}\n`);
      else if (e.from === 'Planning' && e.to === 'BackingUp') write(`${style.green('✓')} Planned: ${e.reason}\n`);
      else if (e.from === 'Validating') write(`${style.green('✓')} ${e.reason.replace(/^the configuration validates/, 'Configuration validated')}\n`);
      else if (e.to === 'Applying') write(`${style.green('✓')} ${e.reason.replace(/^backup (\S+) taken$/, 'Backup created: $1')}\nExecuting:\n`);
      else if (e.to === 'PostValidating') write('Validating:\n');
      else if (PHASE_LINE[e.to]) write(`${style.dim(`${PHASE_LINE[e.to]}…`)}\n`);
    } else if (e.type === 'migration') migration(e.event);
    else if (e.type === 'check')
      write(
        `  ${e.result.skipped ? style.dim('–') : e.result.passed ? style.green('✓') : style.red('✗')} ${e.result.name} ${style.dim(`(${e.result.source})`)}${e.result.passed ? '' : `: ${e.result.detail}`}\n`,
      );
    else if (e.type === 'step') {
      if (e.skipped) write(`  ${style.dim(`${e.key}: done before (${e.detail})`)}\n`);
      else if (/^(revert|restore|reactivate)/.test(e.key)) write(`  ${style.green('✓')} ${e.detail} ${style.dim(`(${seconds(e.durationMs)})`)}\n`);
      else if (e.key === 'snapshot') write(`  ${style.green('✓')} ${e.detail} ${style.dim(`(${seconds(e.durationMs)})`)}\n`);
    } else write(`${style.dim(e.message)}\n`);
  };
}

/** The exit code of a command that deployed: 0 done, 3 waiting for a person or a window, 1 anything else. */
export function deploymentExit(record: DeploymentRecord): ExitCode {
  if (record.state === 'Completed') return EXIT.ok;
  if (record.state === 'AwaitingApproval' || record.state === 'Pending') return EXIT.blocked;
  return EXIT.failed;
}

/** What the person should know and do once the command stops. */
export function deploymentOutcome(r: DeploymentRecord, style: Style): string {
  const lines: string[] = [];
  if (r.state === 'Completed')
    lines.push(
      `${style.green('✓')} ${r.kind === 'migration' ? `Migration ${r.migration}` : short(r.commit)} deployed to ${r.environment} (${seconds(r.durationMs)}): ${r.id}`,
    );
  else if (r.state === 'AwaitingApproval') {
    const a = r.decision?.approval;
    lines.push(
      `${style.yellow('⏸')} ${r.id} awaits approval${a?.approvers.length ? ` from ${a.approvers.join(' or ')}` : ''}${a && a.minApprovals > 1 ? ` (${a.minApprovals} approvals)` : ''}.`,
    );
    if (r.approvalDeadline) lines.push(`  It expires at ${r.approvalDeadline} without one.`);
    lines.push(`  An approver runs: honua deployment approve ${r.id}`);
  } else if (r.state === 'Pending') {
    lines.push(
      `${style.yellow('⏸')} ${r.id} waits${r.notBefore ? ` until ${r.decision?.blockedUntilLocal ?? r.notBefore}` : ''}: ${r.decision?.reasons.join('; ') ?? 'not yet'}.`,
    );
    lines.push(`  It starts then with: honua deployment resume ${r.id} (the server starts it by itself).`);
  } else if (r.state === 'RolledBack') {
    lines.push(`${style.yellow('↺')} ${r.id} was rolled back: ${r.error?.message ?? ''}`);
    if (r.incidentReport) lines.push(`  Incident report: ${r.incidentReport.markdown}`);
    lines.push(`  ${short(r.commit)} is quarantined: it is not deployed again without --force.`);
  } else {
    lines.push(`${style.red('✗')} ${r.id} ${r.state.toLowerCase()}${r.error ? `: ${r.error.message}` : ''}`);
    if (r.error?.hint) lines.push(`  ${style.cyan('hint')}: ${r.error.hint}`);
    if (r.incidentReport) lines.push(`  Incident report: ${r.incidentReport.markdown}`);
  }
  return lines.join('\n');
}

export function renderVerification(v: Verification, style: Style): string {
  if (v.checks.length === 0) return style.dim('  (no checks)');
  return v.checks
    .map(
      (c) =>
        `  ${c.skipped ? style.dim('–') : c.passed ? style.green('✓') : style.red('✗')} ${c.name} ${style.dim(`(${c.source}, ${seconds(c.durationMs)})`)}${c.passed && !c.skipped ? '' : `\n      ${c.detail}`}`,
    )
    .join('\n');
}

/** One deployment in full: honua deployment show. */
export function renderDeployment(r: DeploymentRecord, style: Style): string {
  const out = [
    `${stateMark(r.state, style)} ${style.bold(r.id)} ${style.dim(`${r.kind} to ${r.environment}`)}`,
    `  State:      ${r.state}${r.notBefore && r.state === 'Pending' ? ` until ${r.notBefore}` : ''}`,
    `  Commit:     ${r.commit}${r.dirty ? ' (with uncommitted changes)' : ''}${r.author ? ` by ${r.author.name} <${r.author.email}>` : ''}`,
    `  Requested:  ${r.createdAt} by ${r.requester.name}${r.requester.authenticated ? '' : ' (unauthenticated)'} via ${r.requester.via}`,
    ...(r.previousCommit ? [`  Replaces:   ${r.previousCommit.slice(0, 7)}${r.previousSnapshot ? ` (snapshot ${r.previousSnapshot})` : ''}`] : []),
    ...(r.durationMs !== undefined ? [`  Duration:   ${seconds(r.durationMs)}`] : []),
  ];
  if (r.plan) {
    const s = r.plan.summary;
    out.push(
      `  Plan:       ${s.added} added, ${s.modified} modified, ${s.removed} removed, ${s.migrations} migration(s), ${s.breaking} breaking; risk ${r.plan.risk.level} ${style.dim(r.plan.digest.slice(0, 19))}`,
    );
  }
  if (r.decision) out.push(`  Policy:     ${r.decision.outcome}${r.decision.reasons.length ? ` — ${r.decision.reasons.join('; ')}` : ''}`);
  for (const a of r.approvals)
    out.push(
      `  ${a.decision === 'approved' ? 'Approved' : 'Rejected'}:   ${a.by.name} as ${a.as} at ${a.at}${a.stale ? ' (stale: the plan changed)' : ''}${a.comment ? ` — "${a.comment}"` : ''}`,
    );
  if (r.backup) out.push(`  Backup:     ${r.backup.id}`);
  if (r.migrationsApplied.length) out.push(`  Applied:    ${r.migrationsApplied.join(', ')}`);
  if (r.migrationsReverted.length) out.push(`  Reverted:   ${r.migrationsReverted.join(', ')}`);
  if (r.snapshot) out.push(`  Snapshot:   ${r.snapshot}`);
  if (r.verification) out.push(`  Checks:     ${r.verification.passed ? 'passed' : 'FAILED'}`, renderVerification(r.verification, style));
  if (r.error) out.push(`  Error:      ${r.error.code} in ${r.error.phase}: ${r.error.message}`);
  if (r.incidentReport) out.push(`  Incident:   ${r.incidentReport.markdown}`);
  out.push('', '  Timeline (UTC):', ...r.transitions.map((t) => `    ${t.at}  ${(t.to as string).padEnd(17)} ${style.dim(`${t.reason} — ${t.actor}`)}`));
  return out.join('\n');
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const row = (cells: string[]) => `│${cells.map((c, i) => ` ${c.padEnd(widths[i] ?? 0)} `).join('│')}│`;
  return [line('┌', '┬', '┐'), row(headers), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')].join('\n');
}

/** honua deployments ENV: the history table (seed 002). */
export function renderDeployments(records: readonly DeploymentRecord[]): string {
  return table(
    ['Deployment ID', 'State', 'Commit', 'Started (UTC)', 'Duration', 'By'],
    records.map((r) => [r.id, r.state, short(r.commit), r.createdAt.slice(0, 19).replace('T', ' '), seconds(r.durationMs), r.requester.name]),
  );
}

const mark = (ok: boolean | undefined, text: string, style: Style): string =>
  ok === undefined ? text : ok ? `${style.green('✓')} ${text}` : `${style.yellow('!')} ${text}`;

/** honua status: the boxed status of an environment (seed 002). */
export function renderStatus(s: EnvironmentStatus, style: Style): string {
  const lines: string[] = [
    `Environment: ${s.environment}`,
    `Current Commit: ${s.deployedCommit ? short(s.deployedCommit) : '(nothing deployed)'}`,
    `Sync Status: ${mark(s.sync === 'Synced' ? true : s.sync === 'Unknown' ? undefined : false, s.sync, style)}`,
    `Health: ${mark(s.health === 'Healthy' ? true : s.health === 'Unknown' ? undefined : false, s.health, style)}`,
  ];
  if (s.sync !== 'Synced') lines.push(`  ${s.syncReason}`);
  if (s.healthReason && s.health !== 'Healthy') lines.push(`  ${s.healthReason}`);
  if (s.lastDeployment) {
    const d = s.lastDeployment;
    lines.push('', 'Last Deployment:', `  ID: ${d.id}`, `  State: ${d.state}`, `  Duration: ${seconds(d.durationMs)}`, `  By: ${d.by.name}`);
  }
  for (const p of s.inProgress) lines.push('', `In progress: ${p.id}`, `  ${p.state}${p.notBefore ? ` until ${p.notBefore}` : ''} (since ${p.since})`);
  if (s.quarantined.length > 0) lines.push('', 'Quarantined commits:', ...s.quarantined.map((q) => `  ${short(q.commit)} (${q.deploymentId})`));
  const d = s.dora;
  lines.push(
    '',
    `DORA (${d.windowDays} days): ${d.deployments} deployment(s), ${d.deploymentsPerDay}/day; failure rate ${d.changeFailureRate === null ? '—' : `${Math.round(d.changeFailureRate * 100)}%`}; MTTR ${d.meanTimeToRecoverMs === null ? '—' : seconds(d.meanTimeToRecoverMs)}; lead time ${d.leadTimeMs === null ? '—' : seconds(d.leadTimeMs.median)}`,
  );
  // eslint-disable-next-line no-control-regex
  const visible = (t: string) => t.replace(/\u001b\[[0-9;]*m/g, '').length;
  const width = Math.max(45, ...lines.map(visible)) + 2;
  const title = ' Honua GitOps Status ';
  return [
    `╭─${title}${'─'.repeat(Math.max(0, width - title.length - 1))}╮`,
    `│${' '.repeat(width)}│`,
    ...lines.map((l) => `│ ${l}${' '.repeat(Math.max(0, width - 1 - visible(l)))}│`),
    `│${' '.repeat(width)}│`,
    `╰${'─'.repeat(width)}╯`,
  ].join('\n');
}
