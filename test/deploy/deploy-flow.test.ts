import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/deploy/index.js';
import { createRuntime } from '../../src/runtime/index.js';
import { expectFixture } from '../helpers/fixture.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { testDatabase } from '../helpers/database.js';
import { commitAll, gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/** The sample repository as a git repository, a database with the sample city, a home and a state store of their own. */
async function setup(options: { now?: () => Date } = {}) {
  const repo = await sampleCopy();
  await gitInit(repo);
  const { url, db, kind } = await testDatabase({ sampleCity: true });
  const home = await tempDir();
  const env = { HONUA_HOME: home, HONUA_USER: 'mike' };
  const open = async (extra: { now?: () => Date; env?: NodeJS.ProcessEnv; state?: string } = {}) =>
    createRuntime({
      cwd: repo,
      env: { ...env, ...extra.env },
      repo,
      ...(extra.state ? { state: extra.state } : {}),
      ...(url ? { databaseUrl: url } : {}),
      clock: extra.now ?? options.now ?? (() => new Date()),
    });
  return { repo, url, db, kind, home, env, open };
}

/** A record with what varies between runs (times, durations, paths, commit ids) replaced. */
function portable(value: unknown, replace: Record<string, string>): unknown {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(replace).sort((a, b) => b[0].length - a[0].length)) text = text.split(from).join(to);
  text = text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
    .replace(/-\d{14}-/g, '-<stamp>-')
    .replace(/sha256:[0-9a-f]{64}/g, '<digest>');
  return JSON.parse(text, (k, v) => (typeof v === 'number' && /(durationMs|Ms|^[A-Z][A-Za-z]+$)/.test(k) ? 0 : v));
}

describe('deploying the sample', () => {
  it('deploys development: Completed, and the status says Synced and Healthy at HEAD', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('the sample city on a PostgreSQL server');
    const runtime = await t.open();
    const engine = runtime.engine();
    const events: DeployEvent[] = [];
    try {
      const record = await engine.deploy({ environment: 'dev' }, { onEvent: (e) => events.push(e) });
      expect(record.state, JSON.stringify(record.error)).toBe('Completed');
      expect(record.id).toMatch(/^dev-\d{14}-[0-9a-f]{7}$/);
      expect(record.transitions.map((x) => x.to)).toEqual(['Pending', 'Validating', 'Planning', 'BackingUp', 'Applying', 'PostValidating', 'Completed']);
      expect(record.migrationsApplied).toEqual(['001_initial_schema', '002_add_parcels_layer', '003_optimize_bike_lanes']);
      expect(record.verification?.passed).toBe(true);
      expect(record.snapshot).toBeDefined();
      const [status] = await engine.status({ environment: 'development' });
      expect(status).toMatchObject({ sync: 'Synced', health: 'Healthy', deployedCommit: record.commit, activeSnapshot: record.snapshot });
      // The formats are pinned: JSON Schemas, and a fixture with what varies from run to run replaced.
      expect(schemaErrors('deployment', record)).toEqual([]);
      expect(schemaErrors('environment-status', status)).toEqual([]);
      expectFixture(
        'deploy/development-completed.deployment.json',
        portable(record, { [t.repo]: '<repo>', [record.commit]: '<commit>', [record.commit.slice(0, 7)]: '<short>' }),
      );
      expect(events.filter((e) => e.type === 'transition').length).toBe(7);
      // Deploying the same commit again changes nothing and completes.
      const again = await engine.deploy({ environment: 'development' });
      expect(again.state).toBe('Completed');
      expect(again.migrationsApplied).toEqual([]);
      expect(await engine.deployments({ environment: 'dev' })).toHaveLength(2);
    } finally {
      await runtime.close();
    }
  });

  it('production waits for an approval; the author, a non-approver and an anonymous person are refused; gis-ops approves and it completes', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('the sample city on a PostgreSQL server (production backs up with pg_dump)');
    const tuesday = () => new Date('2026-11-24T18:00:00Z'); // 10:00 in Los Angeles, inside the window
    const runtime = await t.open({ now: tuesday });
    const engine = runtime.engine();
    try {
      const author = await engine.userAdd({ name: 'test', email: 'test@example.com', teams: ['gis-ops'] });
      const jane = await engine.userAdd({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] });
      const bob = await engine.userAdd({ name: 'bob', email: 'bob@city.gov', teams: ['parks'] });
      const waiting = await engine.deploy({ environment: 'production' });
      expect(waiting.state).toBe('AwaitingApproval');
      expect(waiting.decision?.outcome).toBe('needs-approval');
      await expect(engine.approve({ id: waiting.id })).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(engine.approve({ id: waiting.id, token: author.token })).rejects.toMatchObject({ code: 'four-eyes' });
      await expect(engine.approve({ id: waiting.id, token: bob.token })).rejects.toMatchObject({ code: 'not-an-approver' });
      await expect(engine.approve({ id: waiting.id, token: 'honua_not-a-token' })).rejects.toMatchObject({ code: 'unknown-token' });
      expect((await engine.deployment(waiting.id)).state).toBe('AwaitingApproval');
      const done = await engine.approve({ id: waiting.id, token: jane.token, comment: 'reviewed the plan' });
      expect(done.state, JSON.stringify(done.error)).toBe('Completed');
      expect(done.approvals).toMatchObject([
        { decision: 'approved', by: { name: 'jane', authenticated: true }, as: 'team:gis-ops', planDigest: waiting.planDigest, comment: 'reviewed the plan' },
      ]);
      expect(done.backup?.id).toMatch(/^production-backup-/);
      expect(done.transitions.map((x) => x.to)).toEqual([
        'Pending',
        'Validating',
        'Planning',
        'AwaitingApproval',
        'BackingUp',
        'Applying',
        'PostValidating',
        'Completed',
      ]);
    } finally {
      await runtime.close();
    }
  });

  it('outside the window production waits in Pending, and starts when the window opens', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('the sample city on a PostgreSQL server');
    const saturday = await t.open({ now: () => new Date('2026-11-28T18:00:00Z') });
    let pending;
    try {
      pending = await saturday.engine().deploy({ environment: 'production' });
      expect(pending.state).toBe('Pending');
      expect(pending.notBefore).toBe('2026-12-01T17:00:00.000Z'); // Tuesday 09:00 in Los Angeles
      // Nothing is due on Saturday: it stays Pending.
      expect(await saturday.engine().runDue('production')).toEqual([]);
      expect((await saturday.engine().deployment(pending.id)).state).toBe('Pending');
    } finally {
      await saturday.close();
    }
    const tuesday = await t.open({ now: () => new Date('2026-12-01T17:30:00Z') });
    try {
      const [started] = await tuesday.engine().runDue('production');
      expect(started?.id).toBe(pending.id);
      expect(started?.state).toBe('AwaitingApproval');
    } finally {
      await tuesday.close();
    }
  });

  it('a failing post-up validation of migration 003 (seed 004) rolls back by itself: the schema as before, the previous snapshot active, an incident report, the commit quarantined', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('pg_dump --schema-only needs a PostgreSQL server');
    const git = (await import('simple-git')).simpleGit(t.repo);
    const m3 = path.join(t.repo, 'migrations/003_optimize_bike_lanes.yaml');
    const original = readFileSync(m3, 'utf8');
    await rm(m3);
    const base = await commitAll(git, 'without 003');
    const runtime = await t.open();
    const engine = runtime.engine();
    try {
      const first = await engine.deploy({ environment: 'dev' });
      expect(first.state, JSON.stringify(first.error)).toBe('Completed');
      const schema = () =>
        execFileSync('pg_dump', ['--schema-only', '--no-owner', t.url as string])
          .toString()
          .replace(/^(--|\\(un)?restrict ).*$/gm, '');
      const before = schema();
      await writeFile(m3, original.replace('expected: "Index Scan using idx_bike_lanes_geom"', 'expected: "Index Scan using idx_bike_lanes_geom_v2"'));
      const bad = await commitAll(git, 'add 003');
      const failed = await engine.deploy({ environment: 'dev' });
      expect(failed.state, JSON.stringify(failed.transitions, null, 1)).toBe('RolledBack');
      expect(failed.commit.startsWith(bad) || bad.startsWith(failed.commit.slice(0, 7))).toBe(true);
      expect(failed.error).toMatchObject({ code: 'validation-failed', phase: 'Applying' });
      expect(failed.migrationsReverted).toEqual(['003_optimize_bike_lanes']);
      expect(schema()).toBe(before);
      const [status] = await engine.status({ environment: 'dev' });
      expect(status?.activeSnapshot).toBe(first.snapshot);
      expect(status?.deployedCommit).toBe(first.commit);
      expect(status?.quarantined).toMatchObject([{ commit: failed.commit, deploymentId: failed.id }]);
      expect(existsSync(failed.incidentReport?.markdown ?? '')).toBe(true);
      const report = readFileSync(failed.incidentReport?.markdown ?? '', 'utf8');
      expect(report).toContain('ROLLED BACK'.toLowerCase());
      expect(report).toContain('idx_bike_lanes_geom_v2');
      expect(JSON.parse(readFileSync(failed.incidentReport?.json ?? '', 'utf8'))).toMatchObject({
        schemaVersion: 'honua.incident/v1',
        status: 'ROLLED BACK',
        quarantined: true,
      });
      // The quarantined commit is not deployed again without --force.
      await expect(engine.deploy({ environment: 'dev' })).rejects.toMatchObject({ code: 'commit-quarantined' });
      expect(base).toBeTruthy();
    } finally {
      await runtime.close();
    }
  });

  it('an approval binds to the plan: when what would be applied changes, it no longer counts; a late one expires; a rejection ends it', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('the sample city on a PostgreSQL server');
    let now = new Date('2026-11-24T18:00:00Z');
    const runtime = await t.open({ now: () => now });
    const engine = runtime.engine();
    try {
      const jane = await engine.userAdd({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] });
      const first = await engine.deploy({ environment: 'production' });
      expect(first.state).toBe('AwaitingApproval');
      // Someone applies migration 003 by hand meanwhile: the plan is no longer the one approved.
      await engine.migrate({ direction: 'up', environment: 'production', to: '003_optimize_bike_lanes' });
      const stale = await engine.approve({ id: first.id, token: jane.token });
      expect(stale.state).toBe('AwaitingApproval');
      expect(stale.planDigest).not.toBe(first.planDigest);
      expect(stale.approvals).toMatchObject([{ by: { name: 'jane' }, stale: true }]);
      const done = await engine.approve({ id: first.id, token: jane.token });
      expect(done.state, JSON.stringify(done.error)).toBe('Completed');
      expect(done.migrationsApplied).not.toContain('003_optimize_bike_lanes');

      // A new commit awaits approval, past its 24 h timeout: the approval comes too late.
      const git = (await import('simple-git')).simpleGit(t.repo);
      const parks = path.join(t.repo, 'environments/common/layers/parcels.yaml');
      await writeFile(parks, readFileSync(parks, 'utf8').replace('title: Parcels', 'title: Tax Parcels'));
      await commitAll(git, 'retitle parcels');
      now = new Date('2026-11-24T19:30:00Z'); // after the production cooldown (1 h)
      const late = await engine.deploy({ environment: 'production' });
      expect(late.state).toBe('AwaitingApproval');
      expect(late.approvalDeadline).toBe('2026-11-25T19:30:00.000Z');
      now = new Date('2026-11-25T20:30:00Z');
      await expect(engine.approve({ id: late.id, token: jane.token })).rejects.toMatchObject({ code: 'approval-expired' });
      expect((await engine.deployment(late.id)).state).toBe('Expired');

      // Asked again, and rejected.
      now = new Date('2026-11-26T18:00:00Z');
      const again = await engine.deploy({ environment: 'production' });
      const rejected = await engine.reject({ id: again.id, token: jane.token, comment: 'not this week' });
      expect(rejected.state).toBe('Rejected');
      expect(rejected.transitions.at(-1)?.reason).toContain('not this week');
      // The consultant's engine approves nothing, whatever it is asked.
      await expect(runtime.engine('consultant').approve({ id: again.id, token: jane.token })).rejects.toMatchObject({ code: 'read-only-engine' });
      await expect(runtime.engine('consultant').userAdd({ name: 'x', email: 'x@city.gov' })).rejects.toMatchObject({ code: 'read-only-engine' });
    } finally {
      await runtime.close();
    }
  });

  it('rolls back by hand to the previous deployment, and restores an environment from a commit and a database backup', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('pg_dump and pg_restore need a PostgreSQL server');
    const git = (await import('simple-git')).simpleGit(t.repo);
    const m3 = path.join(t.repo, 'migrations/003_optimize_bike_lanes.yaml');
    const original = readFileSync(m3, 'utf8');
    await rm(m3);
    const a = await commitAll(git, 'without 003');
    const runtime = await t.open();
    const engine = runtime.engine();
    const index = async () => (await t.db.query("SELECT 1 FROM pg_indexes WHERE indexname = 'idx_bike_lanes_geom'")).rows.length;
    try {
      const first = await engine.deploy({ environment: 'dev' });
      expect(first.state).toBe('Completed');
      await writeFile(m3, original);
      await commitAll(git, 'add 003');
      const second = await engine.deploy({ environment: 'dev' });
      expect(second.state).toBe('Completed');
      expect(await index()).toBe(1);
      const back = await engine.rollback({ environment: 'dev' });
      expect(back.state, JSON.stringify(back.error)).toBe('Completed');
      expect(back).toMatchObject({ kind: 'rollback', rollbackOf: first.id, snapshot: first.snapshot, migrationsReverted: ['003_optimize_bike_lanes'] });
      expect(await index()).toBe(0);
      const [status] = await engine.status({ environment: 'dev' });
      expect(status).toMatchObject({ activeSnapshot: first.snapshot, deployedCommit: first.commit, sync: 'OutOfSync' });
      await expect(engine.rollback({ environment: 'dev', toDeployment: 'dev-20990101000000-fffffff' })).rejects.toMatchObject({ code: 'deployment-not-found' });

      // Disaster: a table is lost. A backup from before, then restore from commit a with the database.
      const backup = await engine.backupCreate({ environment: 'dev' });
      await t.db.exec('DROP TABLE street_trees');
      const restored = await engine.restore({ environment: 'dev', commit: a, includeDatabase: true, backupId: backup.id });
      expect(restored.state, JSON.stringify(restored.error)).toBe('Completed');
      expect(restored.steps.map((s) => s.key)).toContain('restore-database');
      expect((await t.db.query('SELECT count(*)::int AS n FROM street_trees')).rows[0]).toEqual({ n: 400 });
    } finally {
      await runtime.close();
    }
  });

  it("uses the ServerConfig's state store and approvers with --state config", async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('production backs up with pg_dump: a PostgreSQL server');
    const { newToken, tokenHash } = await import('../../src/deploy/index.js');
    const token = newToken();
    const store = await tempDir();
    const config = path.join(t.repo, 'environments/production/config.yaml');
    await writeFile(
      config,
      readFileSync(config, 'utf8').replace('path: /var/lib/honua/gitops-state', `path: ${store}`) +
        `  users:\n    - name: jane\n      email: jane@city.gov\n      teams: [gis-ops]\n      tokenSha256: ${tokenHash(token)}\n`,
    );
    await commitAll((await import('simple-git')).simpleGit(t.repo), 'production: its own store and approvers');
    const runtime = await t.open({ now: () => new Date('2026-11-24T18:00:00Z'), state: 'config' });
    const engine = runtime.engine();
    try {
      const waiting = await engine.deploy({ environment: 'production' });
      expect(waiting.state).toBe('AwaitingApproval');
      expect(existsSync(path.join(store, 'production', 'deployments', `${waiting.id}.json`))).toBe(true);
      const done = await engine.approve({ id: waiting.id, token });
      expect(done.state, JSON.stringify(done.error)).toBe('Completed');
      expect(done.approvals[0]?.by).toMatchObject({ name: 'jane', authenticated: true });
    } finally {
      await runtime.close();
    }
  });
});
