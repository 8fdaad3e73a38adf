import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../src/db/index.js';
import { honuaProcess } from '../helpers/cli.js';
import { serverUrl, testDatabase } from '../helpers/database.js';
import { commitAll, gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * kill -9 at every phase boundary: a `honua deploy` process stopped by SIGKILL right after it
 * persisted a transition (or a step), then `honua deployment resume`, ends in a consistent state —
 * Completed, or RolledBack for a failing change — with every transition in the log, once, in
 * order. For the file store and the PostgreSQL store.
 */
const HAPPY = ['Pending', 'Validating', 'Planning', 'BackingUp', 'Applying', 'PostValidating', 'Completed'];
const FAILING = ['Pending', 'Validating', 'Planning', 'BackingUp', 'Applying', 'RollingBack', 'RolledBack'];

async function world(store: 'file' | 'postgres') {
  const repo = await sampleCopy();
  const git = await gitInit(repo);
  const { url } = await testDatabase({ sampleCity: true });
  const home = await tempDir();
  let state = path.join(home, 'state');
  if (store === 'postgres') {
    // A database of its own for the state store, beside the sample city's.
    const admin = new PostgresDatabase({ connectionString: serverUrl() as string, max: 1 });
    const name = `honua_state_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    state = (serverUrl() as string).replace(/\/[^/]*$/, `/${name}`);
  }
  const run = (args: string[], failpoint?: string) =>
    honuaProcess([...args, '--repo', repo, '--database-url', url as string, '--state', state], {
      env: { HONUA_HOME: home, HONUA_USER: 'tester', ...(failpoint ? { HONUA_FAILPOINT: failpoint } : {}) },
    });
  const deployments = async () =>
    JSON.parse((await run(['deployments', 'development', '--json'])).stdout) as Array<{
      id: string;
      state: string;
      transitions: Array<{ to: string }>;
      migrationsApplied: string[];
    }>;
  return { repo, git, url: url as string, run, deployments };
}

const POINTS = [
  'after-transition:Validating',
  'after-transition:Planning',
  'after-transition:BackingUp',
  'after-transition:Applying',
  'after-step:migrate:001_initial_schema',
  'after-step:migrate:003_optimize_bike_lanes',
  'after-step:snapshot',
  'after-transition:PostValidating',
];

describe.each(['file', 'postgres'] as const)('crash safety with the %s store', (store) => {
  it.for(POINTS)('killed %s, resumed: Completed, every transition once', { timeout: 120_000 }, async (point, ctx) => {
    if (!serverUrl()) return ctx.skip('kill -9 against the sample city on a PostgreSQL server');
    const w = await world(store);
    const killed = await w.run(['deploy', '-e', 'dev'], point);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const [interrupted] = await w.deployments();
    expect(interrupted?.state).not.toBe('Completed');
    const resumed = await w.run(['deployment', 'resume', interrupted?.id as string, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const record = JSON.parse(resumed.stdout);
    expect(record.state).toBe('Completed');
    expect(record.transitions.map((t: { to: string }) => t.to)).toEqual(HAPPY);
    expect(record.migrationsApplied).toEqual(['001_initial_schema', '002_add_parcels_layer', '003_optimize_bike_lanes']);
    const status = JSON.parse((await w.run(['status', 'development', '--json'])).stdout)[0];
    expect(status).toMatchObject({ sync: 'Synced', health: 'Healthy' });
    // The migration history has each migration applied once.
    const db = new PostgresDatabase({ connectionString: w.url, max: 1 });
    const ups = (
      await db.query<{ name: string; n: number }>(
        "SELECT name, count(*)::int AS n FROM honua.schema_history WHERE direction = 'up' AND success GROUP BY name ORDER BY name",
      )
    ).rows;
    await db.close();
    expect(ups).toEqual([
      { name: '001_initial_schema', n: 1 },
      { name: '002_add_parcels_layer', n: 1 },
      { name: '003_optimize_bike_lanes', n: 1 },
    ]);
  });

  it.for(['after-transition:RollingBack', 'after-step:reactivate'])(
    'a failing change killed %s, resumed: RolledBack, the schema as before',
    { timeout: 120_000 },
    async (point, ctx) => {
      if (!serverUrl()) return ctx.skip('pg_dump --schema-only needs a PostgreSQL server');
      const w = await world(store);
      // Deployed first without 003; then 003 arrives with a post-up validation that fails (seed 004).
      const m3 = path.join(w.repo, 'migrations/003_optimize_bike_lanes.yaml');
      const text = readFileSync(m3, 'utf8');
      execFileSync('git', ['rm', '-q', 'migrations/003_optimize_bike_lanes.yaml'], { cwd: w.repo });
      await commitAll(w.git, 'without 003');
      expect((await w.run(['deploy', '-e', 'dev'])).code).toBe(0);
      writeFileSync(m3, text.replace('expected: "Index Scan using idx_bike_lanes_geom"', 'expected: "Index Scan using idx_none"'));
      await commitAll(w.git, 'a failing 003');
      const schema = () =>
        execFileSync('pg_dump', ['--schema-only', '--no-owner', '--exclude-schema=honua', w.url])
          .toString()
          .replace(/^(--|\\(un)?restrict ).*$/gm, '');
      const before = schema();
      const killed = await w.run(['deploy', '-e', 'dev'], point);
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const [interrupted] = await w.deployments();
      const resumed = await w.run(['deployment', 'resume', interrupted?.id as string, '--json']);
      const record = JSON.parse(resumed.stdout);
      expect(record.state, resumed.stderr).toBe('RolledBack');
      expect(record.migrationsReverted).toEqual(['003_optimize_bike_lanes']);
      expect(record.transitions.map((t: { to: string }) => t.to)).toEqual(FAILING);
      expect(schema()).toBe(before);
    },
  );
});

describe('two deployments at once', () => {
  it.for(['file', 'postgres'] as const)(
    'two honua deploy processes on one environment (%s store): exactly one deploys',
    { timeout: 120_000 },
    async (store, ctx) => {
      if (!serverUrl()) return ctx.skip('the sample city on a PostgreSQL server');
      const w = await world(store);
      const [a, b] = await Promise.all([w.run(['deploy', '-e', 'dev', '--json']), w.run(['deploy', '-e', 'dev', '--json'])]);
      const outcomes = [a, b].map((r) => (r.code === 0 ? JSON.parse(r.stdout) : JSON.parse(r.stdout || '{}')));
      const deployed = outcomes.filter((o) => (o.migrationsApplied ?? []).length > 0);
      expect(deployed).toHaveLength(1);
      // The other was refused, naming the holder, or found nothing left to do.
      const other = outcomes.find((o) => !((o.migrationsApplied ?? []).length > 0));
      if (other.error) expect(other.error).toMatchObject({ code: 'environment-busy', message: expect.stringContaining('tester via cli') });
      else expect(other).toMatchObject({ state: 'Completed', migrationsApplied: [] });
    },
  );
});
