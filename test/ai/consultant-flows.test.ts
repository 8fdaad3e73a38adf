import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../guardrails/audit-log.js';
import { Redactor } from '../../guardrails/redact.js';
import { runTurn } from '../../src/ai/index.js';
import { TOOLS } from '../../tools/registry.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { honuaAi } from '../helpers/cli.js';
import { call, ScriptedModel } from '../helpers/scripted-model.js';
import { recordingConfirmer } from '../helpers/consultant.js';
import { HonuaServer, ServerDatabases } from '../../src/server/index.js';
import { serverSetup } from '../helpers/server.js';
import { tempDir } from '../helpers/repo.js';

/**
 * The consultant's guided commands end to end, on the real PostgreSQL server and real git
 * repositories: review of a deployment (the lint finding and its fix), rollback refused without
 * a confirmation and done with one (then the revert proposed), a promotion whose schedule falls
 * outside production's window and lands at the next allowed slot, and a disaster recovery of a
 * database emptied under the server, through its admin API, in maintenance mode.
 */
const TUESDAY_10AM_PST = '2026-11-24T18:00:00Z';

async function commitChange(repo: string, file: string, edit: (text: string) => string, message: string): Promise<string> {
  const p = path.join(repo, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
  const git = simpleGit(repo);
  await git.add(file);
  await git.commit(message);
  return (await git.revparse(['HEAD'])).trim();
}

describe('honua-ai review and rollback', () => {
  it(
    'reviews a deployment with the CONCURRENTLY finding and its fix; rolls back only after a confirmation, then proposes the revert',
    { timeout: 120_000 },
    async (ctx) => {
      const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const engine = t.runtime.engine();
        const [first] = await engine.deployments({ environment: 'development' });
        const base = ['--repo', t.repo, '--database-url', t.url];
        const review = await honuaAi(['review', first!.id, ...base], { cwd: t.home, env: t.env });
        expect(review.code, review.stderr).toBe(0);
        expect(review.stdout).toContain('without CONCURRENTLY');
        expect(review.stdout).toContain('Use CREATE INDEX CONCURRENTLY');
        expect(review.stdout).toMatch(/They will not catch/);
        const json = await honuaAi(['review', first!.id, ...base, '--json'], { cwd: t.home, env: t.env });
        const facts = JSON.parse(json.stdout) as { review: { findings: Array<{ code?: string; fix: string }>; target: { kind: string } } };
        expect(facts.review.target.kind).toBe('deployment');
        expect(facts.review.findings.some((f) => f.code === 'require-concurrent-index-creation' && /CONCURRENTLY/.test(f.fix))).toBe(true);

        const second = await commitChange(
          t.repo,
          'environments/common/layers/zoning.yaml',
          (s) => s.replace(/title: .*/, 'title: Zoning districts (renamed)'),
          'rename zoning',
        );
        const deployed = await engine.deploy({ environment: 'development' });
        expect(deployed.state).toBe('Completed');

        const no = recordingConfirmer(false);
        const refused = await honuaAi(['rollback', 'development', ...base], { cwd: t.home, env: t.env, hooks: { confirmer: no } });
        expect(refused.code).toBe(3);
        expect(no.asked).toEqual(['request_rollback']);
        expect(refused.stdout).toContain('Not rolled back');
        expect((await engine.status({ environment: 'development' }))[0]?.deployedCommit).toBe(second);

        // --yes covers proposals only: with nobody at a terminal, the rollback is refused.
        const scripted = await honuaAi(['rollback', 'development', ...base, '--yes'], { cwd: t.home, env: t.env });
        expect(scripted.code).toBe(3);
        expect(scripted.stderr + scripted.stdout).toMatch(/needs a person to confirm it/);
        expect((await engine.status({ environment: 'development' }))[0]?.deployedCommit).toBe(second);

        const yes = recordingConfirmer(true);
        const rolled = await honuaAi(['rollback', 'development', ...base, '--json'], { cwd: t.home, env: t.env, hooks: { confirmer: yes } });
        expect(rolled.code, rolled.stderr).toBe(0);
        const out = JSON.parse(rolled.stdout) as { deployment: { state: string; commit: string }; revert: { branch: string }; preview: { undone: unknown[] } };
        expect(out.deployment.state).toBe('Completed');
        expect(out.preview.undone.length).toBeGreaterThan(0);
        expect((await engine.status({ environment: 'development' }))[0]?.deployedCommit).toBe(first!.commit);
        // The confirmation showed what would be undone, and the revert is a proposal of its own.
        expect(yes.asked).toEqual(['request_rollback', 'write_proposal', 'open_pull_request']);
        expect(yes.requests[0]?.details?.join('\n')).toMatch(/Undone: dev-/);
        const branches = await simpleGit(t.repo).branchLocal();
        expect(branches.all).toContain(out.revert.branch);
        const reverted = await simpleGit(t.repo).show([`${out.revert.branch}:environments/common/layers/zoning.yaml`]);
        expect(reverted).not.toContain('renamed');
      } finally {
        await t.close();
      }
    },
  );
});

describe('honua-ai promote', () => {
  it(
    'proposes staging → production and schedules it at the next allowed slot when the time asked for is outside the window; never approves',
    { timeout: 120_000 },
    async (ctx) => {
      const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const engine = t.runtime.engine();
        await commitChange(
          t.repo,
          'environments/staging/layers/bike-lanes.yaml',
          (s) => s.replace(/title: .*/, 'title: Bike lanes (staging-approved)'),
          'staging: bike lanes title',
        );
        const staged = await engine.deploy({ environment: 'staging' });
        expect(staged.state, JSON.stringify(staged.error)).toBe('Completed');
        const yes = recordingConfirmer(true);
        const r = await honuaAi(
          [
            'promote',
            '--from',
            'staging',
            '--to',
            'production',
            '--schedule',
            'next-saturday 10:00',
            '--next-slot',
            '--repo',
            t.repo,
            '--database-url',
            t.url,
            '--json',
          ],
          { cwd: t.home, env: t.env, hooks: { confirmer: yes } },
        );
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as {
          promotion: { branch: string; files: Array<{ path: string }> };
          scheduled: { id: string; state: string; scheduledFor: string };
          toolCalls: Array<{ tool: string; status: string; error?: string }>;
        };
        expect(out.promotion.files.map((f) => f.path)).toEqual(['environments/production/layers/bike-lanes.yaml']);
        const promoted = await simpleGit(t.repo).show([`${out.promotion.branch}:environments/production/layers/bike-lanes.yaml`]);
        expect(promoted).toContain('staging-approved');
        expect(promoted).toMatch(/environment: production/);
        // Saturday is outside Tue–Thu 09:00–17:00 Los Angeles: refused, then the next slot, Tuesday 09:00 PST.
        const schedules = out.toolCalls.filter((c) => c.tool === 'schedule_deployment');
        expect(schedules.map((c) => c.status)).toEqual(['error', 'ok']);
        expect(schedules[0]?.error).toMatch(/outside-window/);
        expect(out.scheduled.scheduledFor).toBe('2026-12-01T17:00:00.000Z');
        expect(out.scheduled.state).toBe('AwaitingApproval');
        const record = await engine.deployment(out.scheduled.id);
        expect(record.scheduledFor).toBe('2026-12-01T17:00:00.000Z');
        expect(record.approvals).toEqual([]);
        expect(yes.asked).toEqual(['propose_promotion', 'schedule_deployment']);
        expect(r.stderr).toMatch(/next allowed slot is Tue 2026-12-01 09:00/);
        // An approver approves ahead of the slot: it then waits for the time, and nothing starts before it.
        const jane = await engine.userAdd({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] });
        const approved = await engine.approve({ id: out.scheduled.id, token: jane.token });
        expect([approved.state, approved.notBefore]).toEqual(['Pending', '2026-12-01T17:00:00.000Z']);
        expect(await engine.runDue('production')).toEqual([]);
        expect((await engine.deployment(out.scheduled.id)).state).toBe('Pending');
      } finally {
        await t.close();
      }
    },
  );
});

describe('honua-ai migrate plan', () => {
  it(
    'plans the pending migrations of every environment with estimates from the tables, the rollback plan, approvals and the command',
    { timeout: 120_000 },
    async (ctx) => {
      const t = await serverSetup({ deploy: false, env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const r = await honuaAi(['migrate', 'plan', '--repo', t.repo, '--database-url', t.url, '--json'], { cwd: t.home, env: t.env });
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as {
          environments: Array<{
            environment: string;
            database: string;
            approval: { required: boolean };
            pending: Array<{ id: string; steps: Array<{ estimate: string; basis: string }>; rollback: string[] }>;
            commands: string[];
          }>;
        };
        const production = out.environments.find((e) => e.environment === 'production');
        expect(production?.approval.required).toBe(true);
        expect(production?.database).toBe('reachable');
        const m003 = production?.pending.find((m) => m.id === '003');
        expect(m003?.steps[0]?.basis).toMatch(/spatial index build over [\d,]+ rows \(bike_lanes\)/);
        expect(m003?.rollback).toEqual(['Drop spatial index', 'Revert metadata']);
        expect(production?.commands).toContain('honua deploy migration 003 -e production');
        const text = await honuaAi(['migrate', 'plan', '--repo', t.repo, '--database-url', t.url], { cwd: t.home, env: t.env });
        expect(text.stdout).toMatch(/Deploy with: honua deploy migration 001 -e development/);
      } finally {
        await t.close();
      }
    },
  );
});

describe('honua-ai dr', () => {
  it(
    'restores a database emptied under the server from its backup, through the admin API in maintenance mode, verifies, and writes the report',
    { timeout: 180_000 },
    async (ctx) => {
      const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const engine = t.runtime.engine();
        const admin = await engine.userAdd({ name: 'ops', email: 'ops@city.gov', roles: ['admin'], teams: ['gis-ops'] });
        const root = await t.server.listen(0, '127.0.0.1');
        await engine.backupCreate({ environment: 'development' });
        const db = await t.runtime.database('development');
        await db.exec('DROP TABLE parcels, zoning, bike_lanes, transit_stops CASCADE');
        const reports = await tempDir();
        const yes = recordingConfirmer(true);
        const r = await honuaAi(
          [
            'dr',
            '-e',
            'development',
            '--server',
            root,
            '--what',
            'the tables are gone',
            '--option',
            'latest-backup',
            '--repo',
            t.repo,
            '--database-url',
            t.url,
            '--report-dir',
            reports,
            '--json',
          ],
          { cwd: t.home, env: { ...t.env, HONUA_TOKEN: admin.token }, hooks: { confirmer: yes } },
        );
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as {
          diagnosis: { database: { ok: boolean; detail: string } };
          report: { outcome: string; restore: { state: string }; files: { markdown: string; json: string } };
        };
        expect(out.diagnosis.database.ok).toBe(false);
        expect(out.report.outcome).toBe('recovered');
        expect(out.report.restore.state).toBe('Completed');
        expect(existsSync(out.report.files.markdown)).toBe(true);
        expect(readFileSync(out.report.files.markdown, 'utf8')).toContain('Outcome: **recovered**');
        expect(yes.asked).toEqual(['request_restore']);
        const restored = await t.runtime.database('development');
        expect(Number((await restored.query<{ n: string }>('SELECT count(*)::text AS n FROM parcels')).rows[0]?.n)).toBe(300);
        // The server left maintenance mode once the restore was verified, and serves the data again.
        const m = await fetch(`${root}/admin/v1/maintenance`, { headers: { authorization: `Bearer ${admin.token}` } });
        expect(((await m.json()) as { enabled: boolean }).enabled).toBe(false);
        const items = await t.get('/ogc/collections/planning::parcels/items?limit=1');
        expect(items.statusCode).toBe(200);
        const audit = readFileSync(path.join(t.home, 'audit', 'admin-api.jsonl'), 'utf8');
        expect(audit).toMatch(/restore/);
      } finally {
        await t.close();
      }
    },
  );
});

describe('a scripted model drives the same operations through the gate', () => {
  it(
    'review → the finding and its fix; schedule outside the window → the next slot; rollback refused, then done once confirmed; restore after the tables are dropped',
    { timeout: 180_000 },
    async (ctx) => {
      const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const full = t.runtime.engine();
        const [first] = await full.deployments({ environment: 'development' });
        await commitChange(t.repo, 'environments/common/layers/zoning.yaml', (s) => s.replace(/title: .*/, 'title: Zoning (v2)'), 'zoning v2');
        expect((await full.deploy({ environment: 'development' })).state).toBe('Completed');
        await full.backupCreate({ environment: 'development' });
        const runnerWith = (confirmer: ReturnType<typeof recordingConfirmer>) =>
          new ToolRunner({
            tools: TOOLS,
            engine: t.runtime.engine('operator'),
            mode: 'operate',
            confirmer,
            audit: new MemoryAuditLog(),
            redactor: new Redactor(),
            actor: 'tester',
            via: 'test',
          });
        const turn = (runner: ToolRunner, steps: ConstructorParameters<typeof ScriptedModel>[0]) =>
          runTurn({ provider: new ScriptedModel(steps), runner, system: 's', history: [{ role: 'user', content: 'go' }], limits: { maxSteps: 8 } });

        const yes = recordingConfirmer(true);
        const runner = runnerWith(yes);
        const reviewed = await turn(runner, [{ toolCalls: [call('review_plan', { target: first!.id })] }, { text: 'reviewed' }]);
        const review = reviewed.added.find((m) => m.role === 'tool');
        expect(review && 'structured' in review ? JSON.stringify(review.structured) : '').toMatch(/require-concurrent-index-creation[\s\S]*CONCURRENTLY/);

        const scheduled = await turn(runner, [
          { toolCalls: [call('schedule_deployment', { environment: 'production', at: 'next-saturday 10:00' })] },
          { text: 'outside' },
        ]);
        expect(scheduled.toolCalls[0]?.error?.code).toBe('outside-window');
        const next = scheduled.toolCalls[0]?.error?.data?.nextAllowed as string;
        expect(next).toBe('2026-12-01T17:00:00.000Z');
        const retried = await turn(runner, [{ toolCalls: [call('schedule_deployment', { environment: 'production', at: next })] }, { text: 'scheduled' }]);
        expect(retried.toolCalls[0]?.status).toBe('ok');

        const refused = await turn(runnerWith(recordingConfirmer(false)), [
          { toolCalls: [call('request_rollback', { environment: 'development' })] },
          { text: 'not done' },
        ]);
        expect(refused.toolCalls[0]?.status).toBe('refused');
        const rolled = await turn(runner, [{ toolCalls: [call('request_rollback', { environment: 'development' })] }, { text: 'done' }]);
        expect(rolled.toolCalls[0]?.status).toBe('ok');
        expect((await full.status({ environment: 'development' }))[0]?.deployedCommit).toBe(first!.commit);
        expect(await turn(runner, [{ toolCalls: [call('approve_deployment', { id: 'x' })] }, { text: 'no' }]).then((r) => r.toolCalls[0]?.status)).toBe(
          'unknown-tool',
        );

        const db = await t.runtime.database('development');
        await db.exec('DROP TABLE parcels, zoning CASCADE');
        const restored = await turn(runner, [
          { toolCalls: [call('request_restore', { environment: 'development', includeDatabase: true })] },
          { text: 'restored' },
        ]);
        expect(restored.toolCalls[0]?.status, JSON.stringify(restored.toolCalls[0]?.error)).toBe('ok');
        const again = await t.runtime.database('development');
        expect(Number((await again.query<{ n: string }>('SELECT count(*)::text AS n FROM parcels')).rows[0]?.n)).toBe(300);
        expect(yes.asked).toEqual(['schedule_deployment', 'request_rollback', 'request_restore']);
      } finally {
        await t.close();
      }
    },
  );
});

describe('the offline planner drives the same operations (honua-ai ask)', () => {
  it(
    'review → the finding and its fix; promote outside the window → the next slot; rollback refused, then confirmed; restore from the latest backup',
    { timeout: 240_000 },
    async (ctx) => {
      const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
      if (!t) return ctx.skip();
      try {
        const engine = t.runtime.engine();
        const [first] = await engine.deployments({ environment: 'development' });
        const ask = (confirm: boolean | undefined, ...args: string[]) =>
          honuaAi(['ask', '--repo', t.repo, '--database-url', t.url, ...args], {
            cwd: t.home,
            env: t.env,
            ...(confirm === undefined ? {} : { hooks: { confirmer: recordingConfirmer(confirm) } }),
          });
        const review = await ask(undefined, `review deployment ${first!.id}`);
        expect(review.code, review.stderr).toBe(0);
        expect(review.stdout).toMatch(/CONCURRENTLY/);

        await commitChange(t.repo, 'environments/staging/layers/bike-lanes.yaml', (s) => s.replace(/title: .*/, 'title: Bike lanes (tested)'), 'staging title');
        expect((await engine.deploy({ environment: 'staging' })).state).toBe('Completed');
        const promoted = await ask(true, '--mode', 'operate', 'promote staging to production next saturday at 10:00, or the next allowed slot');
        expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
        const [scheduled] = (await engine.deployments({ environment: 'production' })).filter((d) => d.scheduledFor);
        expect(scheduled?.scheduledFor).toBe('2026-12-01T17:00:00.000Z');
        expect(scheduled?.state).toBe('AwaitingApproval');
        expect(promoted.stdout).toMatch(/honua deployment approve/);

        await commitChange(t.repo, 'environments/common/layers/zoning.yaml', (s) => s.replace(/title: .*/, 'title: Zoning (v3)'), 'zoning v3');
        const second = (await engine.deploy({ environment: 'development' })).commit;
        const refused = await ask(false, '--mode', 'operate', 'roll back development');
        expect(refused.code).not.toBe(0);
        expect((await engine.status({ environment: 'development' }))[0]?.deployedCommit).toBe(second);
        const rolled = await ask(true, '--mode', 'operate', 'roll back development');
        expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
        expect((await engine.status({ environment: 'development' }))[0]?.deployedCommit).toBe(first!.commit);

        await engine.backupCreate({ environment: 'development' });
        const db = await t.runtime.database('development');
        await db.exec('DROP TABLE parcels CASCADE');
        const restored = await ask(true, '--mode', 'operate', 'restore development from the latest backup');
        expect(restored.code, restored.stdout + restored.stderr).toBe(0);
        const again = await t.runtime.database('development');
        expect(Number((await again.query<{ n: string }>('SELECT count(*)::text AS n FROM parcels')).rows[0]?.n)).toBe(300);
      } finally {
        await t.close();
      }
    },
  );
});

describe('the server starts what is due', () => {
  it('a deployment scheduled for later waits in Pending, and the server starts it once its time has come', { timeout: 120_000 }, async (ctx) => {
    const t = await serverSetup({ env: { HONUA_NOW: TUESDAY_10AM_PST } });
    if (!t) return ctx.skip();
    try {
      await commitChange(t.repo, 'environments/common/layers/zoning.yaml', (s) => s.replace(/title: .*/, 'title: Zoning (scheduled)'), 'zoning scheduled');
      const record = await t.runtime.engine().deploy({ environment: 'development', schedule: '2026-11-25T17:30:00Z' });
      expect([record.state, record.scheduledFor]).toEqual(['Pending', '2026-11-25T17:30:00.000Z']);
      expect(await t.server.runDue()).toEqual([]);
      // The same server a day later (its engine's clock): the deployment starts, and what it activated is served.
      const later = await t.open({ env: { HONUA_NOW: '2026-11-25T17:31:00Z' } });
      const server = await HonuaServer.create({
        environment: 'development',
        store: await later.stateStore('development'),
        databases: new ServerDatabases({ env: t.env, home: t.home, databaseUrl: t.url }),
        engine: later.engine(),
        pollMs: 0,
        scheduleMs: 0,
      });
      try {
        const started = await server.runDue();
        expect(started.map((r) => [r.id, r.state])).toEqual([[record.id, 'Completed']]);
        const collection = await server.app.inject({ method: 'GET', url: '/ogc/collections/planning::zoning?f=json' });
        expect(JSON.parse(collection.body)).toMatchObject({ title: 'Zoning (scheduled)' });
      } finally {
        await server.close();
        await later.close();
      }
    } finally {
      await t.close();
    }
  });
});
