import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callTool, explain, type FlowContext, type FlowResult, output } from './flow-context.js';

/**
 * `honua-ai dr` (`disaster-recovery`), seed 004's guided session as a real one: ask what
 * happened; diagnose (the database reachable and whole, the layers' health, the repository
 * valid, the backups and their ages, the last successful deployment); offer the recovery options
 * with their data-loss windows; show the recovery plan (maintenance mode, restore the database,
 * restore the configuration, verify, leave maintenance mode); on confirmation request the restore
 * (`request_restore`, an operate call a person confirms), verify, and write the recovery report.
 * Every action goes through the tools; a model only explains.
 */
export type RecoveryChoice = { kind: 'latest-backup' } | { kind: 'last-deployment' } | { kind: 'commit'; commit: string } | { kind: 'abort' };

export interface DrRequest {
  environment: string;
  /** What happened, when given up front (--what). */
  what?: string | undefined;
  /** The recovery option, when decided up front (--option). */
  choice?: RecoveryChoice | undefined;
  backupId?: string | undefined;
  /** The restore goes through a server (--server), which turns maintenance mode on for it. */
  viaServer?: boolean | undefined;
  /** Where the report goes (default the engine's incident folder). */
  reportDir?: string | undefined;
}

interface Backup {
  id: string;
  createdAt: string;
  ageHours: number;
  tables: number;
}
interface Deployment {
  id: string;
  commit: string;
  state: string;
  finishedAt?: string;
  next: string;
}
interface Health {
  healthy: boolean;
  checks: Array<{ name: string; passed: boolean; detail: string }>;
}

export interface Diagnosis {
  database: { ok: boolean; detail: string; tables?: number };
  health: { ok: boolean; detail: string };
  repository: { ok: boolean; detail: string };
  backups: Backup[];
  lastSuccessful?: Deployment | undefined;
}

export interface DrReport {
  environment: string;
  startedAt: string;
  finishedAt: string;
  what: string;
  diagnosis: Diagnosis;
  choice: RecoveryChoice;
  plan: string[];
  restore?: Deployment & { backup?: string };
  verification?: Health;
  outcome: 'recovered' | 'not-recovered' | 'aborted';
  dataLossWindow?: string;
  files?: { markdown: string; json: string };
}

const firstFailure = (h: Health): string => {
  const failed = h.checks.filter((c) => !c.passed);
  return failed.length === 0
    ? `${h.checks.length} checks pass`
    : `${failed.length} of ${h.checks.length} checks fail: ${failed[0]?.name}: ${failed[0]?.detail}`;
};

export async function diagnose(ctx: FlowContext, calls: FlowResult['calls'], environment: string): Promise<Diagnosis> {
  const tables = await callTool(ctx, calls, 'list_tables', {});
  const backupsOut = output<{ backups: Backup[] }>(await callTool(ctx, calls, 'list_backups', { environment }));
  // A restore backs up the database it replaces: after one, the newest backup is the damaged
  // database. Those are not offered as the latest good state.
  const recent = output<{ deployments: Array<{ kind: string; backupTaken?: string }> }>(
    await callTool(ctx, calls, 'list_deployments', { environment, limit: 50 }),
  );
  const beforeRestores = new Set((recent?.deployments ?? []).filter((d) => d.kind === 'restore' && d.backupTaken).map((d) => d.backupTaken as string));
  const backups = (backupsOut?.backups ?? []).filter((b) => !beforeRestores.has(b.id));
  const listed = output<{ tables: unknown[] }>(tables);
  const expected = backups[0]?.tables;
  const database =
    listed === undefined
      ? { ok: false, detail: `not usable: ${ctx.runner.redactor.text(tables.error?.message ?? tables.status)}` }
      : expected !== undefined && listed.tables.length < expected
        ? {
            ok: false,
            detail: `reachable, but it has ${listed.tables.length} tables where the latest backup has ${expected}: data is missing`,
            tables: listed.tables.length,
          }
        : { ok: true, detail: `reachable, ${listed.tables.length} tables`, tables: listed.tables.length };
  const healthResult = await callTool(ctx, calls, 'environment_health', { environment });
  const h = output<Health>(healthResult);
  const health = h
    ? { ok: h.healthy, detail: firstFailure(h) }
    : { ok: false, detail: `the checks could not run: ${healthResult.error?.message ?? healthResult.status}` };
  const v = output<{ valid: boolean; errors?: number; summary?: string }>(await callTool(ctx, calls, 'validate_config', { environments: [environment] }));
  const repository = v
    ? { ok: v.valid, detail: v.valid ? 'the configuration validates' : 'the configuration has errors' }
    : { ok: false, detail: 'the repository could not be read' };
  const history = output<{ deployments: Deployment[] }>(await callTool(ctx, calls, 'list_deployments', { environment, outcome: 'succeeded', limit: 1 }));
  return { database, health, repository, backups, lastSuccessful: history?.deployments[0] };
}

function optionsOf(d: Diagnosis): Array<{ name: string; value: RecoveryChoice['kind']; description: string }> {
  const latest = d.backups[0];
  const out: Array<{ name: string; value: RecoveryChoice['kind']; description: string }> = [];
  if (latest)
    out.push({
      name: `Restore the latest backup (${latest.id}, ${latest.ageHours} h old) with the last successful configuration`,
      value: 'latest-backup',
      description: `data-loss window: everything written in the last ${latest.ageHours} h`,
    });
  if (d.lastSuccessful)
    out.push({
      name: `Redeploy the last successful deployment's configuration only (${d.lastSuccessful.commit.slice(0, 7)})`,
      value: 'last-deployment',
      description: 'no data restored: only for a broken configuration with an intact database',
    });
  out.push({ name: 'Restore a specific commit (with the latest backup)', value: 'commit', description: 'you give the commit' });
  out.push({ name: 'Stop here (nothing is changed)', value: 'abort', description: '' });
  return out;
}

function markdown(r: DrReport): string {
  const d = r.diagnosis;
  return [
    `# Recovery report: ${r.environment}`,
    '',
    `- Outcome: **${r.outcome}**`,
    `- Started ${r.startedAt}, finished ${r.finishedAt}`,
    `- What happened (as reported): ${r.what.replace(/\r?\n/g, ' ')}`,
    ...(r.dataLossWindow ? [`- Data-loss window: ${r.dataLossWindow}`] : []),
    '',
    '## Diagnosis',
    `- Database: ${d.database.ok ? 'ok' : 'FAILED'} — ${d.database.detail}`,
    `- Health: ${d.health.ok ? 'ok' : 'FAILED'} — ${d.health.detail}`,
    `- Repository: ${d.repository.ok ? 'ok' : 'FAILED'} — ${d.repository.detail}`,
    `- Backups: ${d.backups.length > 0 ? d.backups.map((b) => `${b.id} (${b.ageHours} h)`).join(', ') : 'none'}`,
    `- Last successful deployment: ${d.lastSuccessful ? `${d.lastSuccessful.id} (${d.lastSuccessful.commit.slice(0, 7)})` : 'none'}`,
    '',
    '## Recovery',
    `- Option: ${r.choice.kind}${r.choice.kind === 'commit' ? ` ${r.choice.commit}` : ''}`,
    ...r.plan.map((p, i) => `${i + 1}. ${p}`),
    ...(r.restore
      ? ['', `Restore deployment ${r.restore.id}: ${r.restore.state}${r.restore.backup ? ` from backup ${r.restore.backup}` : ''}. ${r.restore.next}`]
      : []),
    ...(r.verification
      ? [
          '',
          '## Verification',
          `- ${firstFailure(r.verification)}`,
          ...r.verification.checks.map((c) => `  - ${c.passed ? 'pass' : 'FAIL'} ${c.name}: ${c.detail}`),
        ]
      : []),
    '',
  ].join('\n');
}

export async function drFlow(ctx: FlowContext, request: DrRequest): Promise<FlowResult<{ report?: DrReport; diagnosis?: Diagnosis }>> {
  const calls: FlowResult['calls'] = [];
  const startedAt = ctx.engine.workspace.clock().toISOString();
  const environment = request.environment;
  const what = request.what ?? (await ctx.prompter.input('What happened? (what you saw, since when)', 'not described'));
  ctx.say(`Disaster recovery for ${environment}. Diagnosing...`);
  const diagnosis = await diagnose(ctx, calls, environment);
  const mark = (ok: boolean) => (ok ? 'ok    ' : 'FAILED');
  ctx.say(`  database    ${mark(diagnosis.database.ok)} ${diagnosis.database.detail}`);
  ctx.say(`  health      ${mark(diagnosis.health.ok)} ${diagnosis.health.detail}`);
  ctx.say(`  repository  ${mark(diagnosis.repository.ok)} ${diagnosis.repository.detail}`);
  ctx.say(`  backups     ${diagnosis.backups.length > 0 ? diagnosis.backups.map((b) => `${b.id} (${b.ageHours} h old)`).join(', ') : 'none'}`);
  ctx.say(`  last good   ${diagnosis.lastSuccessful ? `${diagnosis.lastSuccessful.id} (${diagnosis.lastSuccessful.commit.slice(0, 7)})` : 'none'}`);
  const explanation = await explain(ctx, `The person reported: "${what}". Explain what the diagnosis shows and what each recovery option would cost.`, {
    diagnosis,
    options: optionsOf(diagnosis),
  });
  if (explanation) ctx.say(`\n${explanation}\n`);
  const options = optionsOf(diagnosis);
  let choice = request.choice;
  if (!choice) {
    const kind = await ctx.prompter.select('Which recovery?', options);
    if (kind === undefined) {
      ctx.say(
        `\nOptions (choose with --option):\n${options.map((o) => `  ${o.value.padEnd(16)} ${o.name}${o.description ? ` — ${o.description}` : ''}`).join('\n')}`,
      );
      return { outcome: 'needs-input', data: { diagnosis }, calls };
    }
    choice = kind === 'commit' ? { kind, commit: await ctx.prompter.input('Which commit?', 'HEAD') } : ({ kind } as RecoveryChoice);
  }
  const report = (partial: Omit<DrReport, 'environment' | 'startedAt' | 'finishedAt' | 'what' | 'diagnosis' | 'choice'>): DrReport => ({
    environment,
    startedAt,
    finishedAt: ctx.engine.workspace.clock().toISOString(),
    what,
    diagnosis,
    choice: choice as RecoveryChoice,
    ...partial,
  });
  if (choice.kind === 'abort') {
    const r = writeReport(ctx, request, report({ plan: [], outcome: 'aborted' }));
    ctx.say(`Nothing changed. Report: ${r.files?.markdown}`);
    return { outcome: 'done', data: { report: r, diagnosis }, calls };
  }
  const withDatabase = choice.kind !== 'last-deployment';
  const backup = request.backupId ? diagnosis.backups.find((b) => b.id === request.backupId) : diagnosis.backups[0];
  if (withDatabase && !backup) {
    ctx.say(`There is no backup of ${environment}${request.backupId ? ` named ${request.backupId}` : ''}: the database cannot be restored from here.`);
    return { outcome: 'failed', data: { diagnosis }, calls };
  }
  const commit = choice.kind === 'commit' ? choice.commit : diagnosis.lastSuccessful?.commit;
  const plan = [
    withDatabase
      ? request.viaServer
        ? 'Maintenance mode on: the server answers data requests with 503 and Retry-After while it restores'
        : 'Maintenance mode: turned on by the server that runs the restore (through --server); here the restore runs without a server in front'
      : 'No maintenance mode needed (the database is not touched)',
    ...(withDatabase && backup ? [`Restore the database from ${backup.id} (taken ${backup.createdAt}; data written since is lost)`] : []),
    `Restore the configuration (metadata) of ${commit ? `commit ${commit.slice(0, 7)}` : 'HEAD'} as a new deployment`,
    'Verify: the health checks and the OGC probe of every layer',
    withDatabase && request.viaServer ? 'Leave maintenance mode once verified' : 'Done',
  ];
  ctx.say('\nRecovery plan:');
  plan.forEach((p, i) => ctx.say(`  ${i + 1}. ${p}`));
  const result = await callTool(ctx, calls, 'request_restore', {
    environment,
    ...(commit ? { commit } : {}),
    includeDatabase: withDatabase,
    ...(withDatabase && backup ? { backupId: backup.id } : {}),
  });
  const restore = output<Deployment & { backup?: string }>(result);
  if (!restore) {
    const refused = result.status === 'refused' || result.status === 'denied';
    ctx.say(`${refused ? 'Not restored' : 'The restore failed'}: ${ctx.runner.redactor.text(result.error?.message ?? result.status)}`);
    const r = writeReport(ctx, request, report({ plan, outcome: refused ? 'aborted' : 'not-recovered' }));
    ctx.say(`Report: ${r.files?.markdown}`);
    return { outcome: refused ? 'refused' : 'failed', data: { report: r, diagnosis }, calls };
  }
  ctx.say(`${restore.id}: ${restore.state}. ${restore.next}`);
  const verification = output<Health>(await callTool(ctx, calls, 'environment_health', { environment }));
  const recovered = restore.state === 'Completed' && verification?.healthy === true;
  ctx.say(verification ? `Verification: ${firstFailure(verification)}.` : 'Verification could not run.');
  const r = writeReport(
    ctx,
    request,
    report({
      plan,
      restore,
      ...(verification ? { verification } : {}),
      outcome: recovered ? 'recovered' : 'not-recovered',
      ...(withDatabase && backup ? { dataLossWindow: `${backup.ageHours} h (since ${backup.createdAt})` } : {}),
    }),
  );
  ctx.say(`${recovered ? 'Recovered.' : 'NOT recovered.'} Report: ${r.files?.markdown}`);
  return { outcome: recovered ? 'done' : 'failed', data: { report: r, diagnosis }, calls };
}

function writeReport(ctx: FlowContext, request: DrRequest, report: DrReport): DrReport {
  const dir = request.reportDir ?? ctx.engine.workspace.incidentDir;
  const stamp = report.finishedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = path.join(dir, `DR-${report.environment.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`);
  const files = { markdown: `${base}.md`, json: `${base}.json` };
  const withFiles = { ...report, files };
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.markdown, ctx.runner.redactor.text(markdown(withFiles)));
  writeFileSync(files.json, `${JSON.stringify(ctx.runner.redactor.value(withFiles), null, 2)}\n`);
  return withFiles;
}
