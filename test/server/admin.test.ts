import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { honua } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { commitAll } from '../helpers/repo.js';
import { serverSetup } from '../helpers/server.js';

/**
 * The admin API over real HTTP: bearer tokens from the users file only in headers, 401 without,
 * 403 for a person the policy does not allow, the engine's formats, every call audited without
 * the token; and the CLI's --server / HONUA_SERVER going through it (the remote engine).
 */
const TUESDAY = '2026-11-24T18:00:00Z'; // 10:00 in Los Angeles: inside production's window

describe('the admin API and the remote engine', () => {
  it('authenticates, authorizes as the CLI does, serves the engine formats, audits every call; honua --server approves, lists and rolls back through it', async (ctx) => {
    const t = await serverSetup({ env: { HONUA_NOW: TUESDAY } });
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const engine = t.runtime.engine();
      const author = await engine.userAdd({ name: 'test', email: 'test@example.com', teams: ['gis-ops'] });
      const jane = await engine.userAdd({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] });
      const bob = await engine.userAdd({ name: 'bob', email: 'bob@city.gov', teams: ['parks'] });
      const waiting = await engine.deploy({ environment: 'production' });
      expect(waiting.state).toBe('AwaitingApproval');
      const root = await t.server.listen(0, '127.0.0.1');
      const api = `${root}/admin/v1`;
      const call = (method: string, p: string, token?: string, body?: unknown) =>
        fetch(`${api}${p}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });

      // 401: no token, a token nobody has, a malformed header; a token in the URL is refused, never read.
      const none = await call('GET', '/status');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
      expect((await call('GET', '/status', 'honua_not-a-token')).status).toBe(401);
      expect((await fetch(`${api}/status`, { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } })).status).toBe(401);
      expect((await fetch(`${api}/status?token=${jane.token}`)).status).toBe(401);

      // Reads: the engine's formats.
      const status = (await (await call('GET', '/status', jane.token)).json()) as unknown[];
      for (const s of status) expect(schemaErrors('environment-status', s)).toEqual([]);
      const list = (await (await call('GET', '/environments/production/deployments?limit=5', jane.token)).json()) as Array<{ id: string }>;
      expect(list.map((d) => d.id)).toContain(waiting.id);
      const one = await (await call('GET', `/deployments/${waiting.id}`, bob.token)).json();
      expect(schemaErrors('deployment', one)).toEqual([]);
      const plan = (await (await call('GET', '/environments/production/plan', jane.token)).json()) as { schemaVersion: string };
      expect(plan.schemaVersion).toBe('honua.plan/v1');
      expect((await call('GET', '/deployments/nope-20260101000000-abcdef0', jane.token)).status).toBe(404);
      expect((await call('GET', '/environments/production/deployments?limit=0', jane.token)).status).toBe(400);
      const doc = (await (await fetch(`${api}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\.0/);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/status', '/deployments/{id}/approve', '/environments/{environment}/rollback']));

      // 403: the same rules as the CLI; a body the endpoint does not take is 400.
      const byBob = await call('POST', `/deployments/${waiting.id}/approve`, bob.token, {});
      expect(byBob.status).toBe(403);
      expect(((await byBob.json()) as { error: { code: string } }).error.code).toBe('not-an-approver');
      expect(((await (await call('POST', `/deployments/${waiting.id}/approve`, author.token, {})).json()) as { error: { code: string } }).error.code).toBe(
        'four-eyes',
      );
      expect((await call('POST', `/deployments/${waiting.id}/approve`, jane.token, { comment: 'ok', approveEverything: true })).status).toBe(400);

      // The CLI through the admin API: jane approves with --server; production completes.
      const env = { ...t.env, HONUA_TOKEN: jane.token };
      const approved = await honua(['deployment', 'approve', waiting.id, '--server', root, '--comment', 'reviewed', '--json'], { cwd: t.home, env });
      expect(approved.code, approved.stderr).toBe(0);
      expect(JSON.parse(approved.stdout)).toMatchObject({ id: waiting.id, state: 'Completed', approvals: [{ by: { name: 'jane' }, comment: 'reviewed' }] });
      // HONUA_SERVER, from a folder with no repository and no state: everything comes from the server.
      const remoteStatus = await honua(['status', 'production', '--json'], {
        cwd: t.home,
        env: { ...env, HONUA_SERVER: root, HONUA_HOME: path.join(t.home, 'elsewhere') },
      });
      expect(remoteStatus.code, remoteStatus.stderr).toBe(0);
      expect(JSON.parse(remoteStatus.stdout)).toMatchObject([{ environment: 'production', deployedCommit: waiting.commit }]);
      const remoteList = await honua(['deployments', 'production', '--server', root, '--json'], {
        cwd: t.home,
        env: { ...env, HONUA_HOME: path.join(t.home, 'elsewhere') },
      });
      expect(JSON.parse(remoteList.stdout)[0]).toMatchObject({ id: waiting.id });
      // Without a token; with a plain-HTTP server elsewhere; a command the admin API does not offer.
      const anonymous = await honua(['status', '--server', root], { cwd: t.home, env: t.env });
      expect(anonymous.code).not.toBe(0);
      expect(anonymous.stderr).toMatch(/HONUA_TOKEN|token/);
      const plain = await honua(['status', '--server', 'http://honua.example.org'], { cwd: t.home, env });
      expect(plain.code).toBe(2);
      expect(plain.stderr).toMatch(/unencrypted/);
      const deployRemote = await honua(['deploy', '-e', 'development', '--server', root, '--repo', t.repo], { cwd: t.home, env });
      expect(deployRemote.code).toBe(2);
      expect(deployRemote.stderr).toMatch(/admin API/);

      // Rollback through the server: development goes back to its first snapshot, and the server reloads at once.
      const file = path.join(t.repo, 'environments/common/layers/zoning.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^ {2}title: .*$/m, '  title: Zoning v2'));
      await commitAll(simpleGit(t.repo), 'zoning v2');
      expect((await engine.deploy({ environment: 'development' })).state).toBe('Completed');
      expect((await t.json('/ogc/collections/planning::zoning')).title).toBe('Zoning v2');
      const rolled = await honua(['rollback', 'development', '--server', root, '--json'], { cwd: t.home, env });
      expect(rolled.code, rolled.stderr).toBe(0);
      expect(JSON.parse(rolled.stdout)).toMatchObject({ kind: 'rollback', state: 'Completed' });
      expect((await t.json('/ogc/collections/planning::zoning')).title).toBe('Zoning Districts');
      // Restore through the API: development rebuilt from HEAD (zoning v2 again), served at once.
      const restored = await call('POST', '/environments/development/restore', jane.token, { commit: 'HEAD', force: true });
      expect(restored.status, await restored.clone().text()).toBe(200);
      expect(await restored.json()).toMatchObject({ kind: 'restore', state: 'Completed' });
      expect((await t.json('/ogc/collections/planning::zoning')).title).toBe('Zoning v2');
      expect((await call('POST', '/environments/development/restore', jane.token, {})).status).toBe(400);

      // Every call was audited: who, what, how it ended; never a token.
      const audit = await readFile(path.join(t.home, 'audit', 'admin-api.jsonl'), 'utf8');
      const lines = audit
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { actor: string; tool: string; outcome: string; via: string });
      expect(lines.length).toBeGreaterThanOrEqual(14);
      expect(lines.every((l) => l.via === 'admin-api')).toBe(true);
      expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'bob', tool: 'POST /deployments/:id/approve', outcome: 'denied' })]));
      expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'jane', tool: 'POST /deployments/:id/approve', outcome: 'ok' })]));
      expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'anonymous', outcome: 'denied' })]));
      for (const token of [jane.token, bob.token, author.token]) expect(audit).not.toContain(token);
    } finally {
      await t.close();
    }
  });

  it('maintenance mode: an operator turns it on through the admin API; items answer 503 with Retry-After, the landing page still answers, readyz drains; others are refused', async (ctx) => {
    const t = await serverSetup();
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const engine = t.runtime.engine();
      const jane = await engine.userAdd({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] });
      const ops = await engine.userAdd({ name: 'ops', email: 'ops@city.gov', roles: ['operator'] });
      const post = (token: string, body: unknown) =>
        t.server.app.inject({
          method: 'POST',
          url: '/admin/v1/maintenance',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      const refused = await post(jane.token, { enabled: true });
      expect(refused.statusCode).toBe(403);
      expect(JSON.parse(refused.body).error.code).toBe('not-an-operator');
      expect((await post(ops.token, { enabled: 'yes' })).statusCode).toBe(400);
      const on = await post(ops.token, { enabled: true, reason: 'restoring the database', retryAfterSeconds: 120 });
      expect(on.statusCode).toBe(200);
      expect(JSON.parse(on.body)).toMatchObject({ enabled: true, reason: 'restoring the database', retryAfterSeconds: 120, by: 'ops' });
      const items = await t.get('/ogc/collections/planning::zoning/items?limit=1');
      expect(items.statusCode).toBe(503);
      expect(items.headers['retry-after']).toBe('120');
      expect(JSON.parse(items.body).description).toContain('restoring the database');
      expect((await t.get('/ogc/collections/planning::zoning/items/1')).statusCode).toBe(503);
      expect((await t.get('/ogc/collections/planning::zoning')).statusCode).toBe(200);
      expect((await t.get('/ogc')).statusCode).toBe(200);
      expect((await t.get('/readyz')).statusCode).toBe(503);
      expect((await post(ops.token, { enabled: false })).statusCode).toBe(200);
      expect((await t.get('/ogc/collections/planning::zoning/items?limit=1')).statusCode).toBe(200);
      expect((await t.get('/readyz')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('metrics and health: HTTP by route and status, deployments by environment and result, environment info, pools; healthz and readyz', async (ctx) => {
    const t = await serverSetup();
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      await t.get('/ogc/collections/planning::zoning/items?limit=2');
      await t.get('/ogc/collections/nothing::here');
      expect((await t.get('/healthz')).statusCode).toBe(200);
      const ready = await t.get('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', environment: 'development', source: 'snapshot', collections: 4 });
      const metrics = await t.get('/metrics');
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      const text = metrics.body;
      expect(text).toMatch(/honua_http_requests_total\{route="\/ogc\/collections\/:collectionId\/items",method="GET",status="200"\} 1/);
      expect(text).toMatch(/honua_http_requests_total\{route="\/ogc\/collections\/:collectionId",method="GET",status="404"\} 1/);
      expect(text).toMatch(/honua_http_request_duration_seconds_bucket\{le="0.005",route=/);
      expect(text).toMatch(/honua_deployments_total\{environment="development",result="Completed"\} 1/);
      expect(text).toMatch(/honua_deployment_duration_seconds_count\{environment="development"\} 1/);
      expect(text).toMatch(/honua_environment_info\{environment="development",sync="Synced",health="Healthy",commit="[0-9a-f]{40}"\} 1/);
      expect(text).toMatch(/honua_db_pool_connections\{state="total"\} [1-9]/);
      expect(text).toMatch(/honua_collections 4/);
      expect(text).toContain('honua_rollbacks_total');
      expect(text).toContain('honua_time_to_recovery_seconds');
    } finally {
      await t.close();
    }
  });

  it('readyz is 503 when the database goes away, and the OGC API answers an exception, not a crash', async (ctx) => {
    const t = await serverSetup();
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const name = new URL(t.url).pathname.slice(1);
      const { PostgresDatabase } = await import('../../src/db/postgres.js');
      const admin = new PostgresDatabase({ connectionString: t.url.replace(/\/[^/]*$/, '/postgres'), max: 1 });
      await admin.exec(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.close();
      const ready = await t.get('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'not ready' });
      const items = await t.get('/ogc/collections/planning::zoning/items');
      expect(items.statusCode).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(items.body)).toHaveProperty('code');
      expect(items.body).not.toContain(name);
      expect((await t.get('/healthz')).statusCode).toBe(200);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
