import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validateRepo } from '../../src/config/validate.js';
import type { Database } from '../../src/db/database.js';
import { readHistory } from '../../src/db/migrate/history.js';
import { migrateDown, migrateUp, migrationStatus } from '../../src/db/index.js';
import { PostgresDatabase } from '../../src/db/postgres.js';
import { testDatabase } from '../helpers/database.js';
import { migrationsOf, sqlMigration } from '../helpers/migrations.js';
import { load, SAMPLE } from '../helpers/repo.js';

const sampleMigrations = async () => validateRepo(await load(SAMPLE), ['staging']).states.get('staging')!.migrations;

/** The schema as the server's own tool prints it (real server), or from the catalogs (embedded). */
async function schemaDump(db: Database, url?: string): Promise<string> {
  // pg_dump 15.14+ prints a random \restrict key in every dump: not part of the schema.
  if (url)
    return execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--schema-only', '--no-owner', '--exclude-schema=honua', url])
      .toString()
      .replace(/^\\(un)?restrict .*$/gm, '');
  const r = await db.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`);
  return JSON.stringify(r.rows);
}

describe('migration runner', () => {
  it('applies the sample migrations, reverts them, and applies them again; history shows each step', async () => {
    const { db } = await testDatabase();
    const migrations = await sampleMigrations();
    const up = await migrateUp(db, migrations, { environment: 'staging', appliedBy: 'tester' });
    expect(up.map((o) => o.name)).toEqual(['001_initial_schema', '002_add_parcels_layer', '003_optimize_bike_lanes']);
    expect(up[2]?.metadataSteps).toMatchObject([{ action: 'update', path: 'environments/staging/layers/bike-lanes.yaml' }]);
    const down = await migrateDown(db, migrations, { to: '001' });
    expect(down.map((o) => o.name)).toEqual(['003_optimize_bike_lanes', '002_add_parcels_layer']);
    expect((await migrationStatus(db, migrations)).migrations.map((m) => m.state)).toEqual(['applied', 'pending', 'pending']);
    await migrateUp(db, migrations, {});
    expect((await migrationStatus(db, migrations)).migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied']);
    const history = await readHistory(db);
    expect(history.map((h) => `${h.name} ${h.direction} ${h.success} ${h.steps_done}/${h.steps_total}`)).toEqual([
      '001_initial_schema up true 1/1',
      '002_add_parcels_layer up true 1/1',
      '003_optimize_bike_lanes up true 2/2',
      '003_optimize_bike_lanes down true 1/1',
      '002_add_parcels_layer down true 1/1',
      '002_add_parcels_layer up true 1/1',
      '003_optimize_bike_lanes up true 2/2',
    ]);
    expect(history[0]).toMatchObject({ applied_by: 'tester', environment: 'staging' });
    expect(await migrateUp(db, migrations)).toEqual([]);
  });

  it('reports drift when an applied migration changes, and refuses to go up', async () => {
    const { db } = await testDatabase();
    const v1 = await migrationsOf({ '001_a.yaml': sqlMigration('001', ['CREATE TABLE a (id int)'], ['DROP TABLE a']) });
    await migrateUp(db, v1);
    const v2 = await migrationsOf({
      '001_a.yaml': sqlMigration('001', ['CREATE TABLE a (id bigint)'], ['DROP TABLE a']),
      '002_b.yaml': sqlMigration('002', ['CREATE TABLE b (id int)'], ['DROP TABLE b']),
    });
    expect((await migrationStatus(db, v2)).migrations.map((m) => m.state)).toEqual(['drift', 'pending']);
    await expect(migrateUp(db, v2)).rejects.toMatchObject({ code: 'migration-drift', message: expect.stringContaining('001_a') });
  });

  it('a migration whose second step fails leaves the schema exactly as before, and history records the failure', async () => {
    const { db, url } = await testDatabase();
    const base = await migrationsOf({ '001_a.yaml': sqlMigration('001', ['CREATE TABLE keep (id int PRIMARY KEY)'], ['DROP TABLE keep']) });
    await migrateUp(db, base);
    const before = await schemaDump(db, url);
    const failing = await migrationsOf({
      '001_a.yaml': sqlMigration('001', ['CREATE TABLE keep (id int PRIMARY KEY)'], ['DROP TABLE keep']),
      '002_b.yaml': sqlMigration(
        '002',
        ['CREATE TABLE newer (id int);\nALTER TABLE keep ADD COLUMN note text', 'ALTER TABLE keep ADD COLUMN broken no_such_type'],
        ['DROP TABLE newer'],
      ),
    });
    await expect(migrateUp(db, failing)).rejects.toMatchObject({ code: 'migration-failed', message: expect.stringContaining('step 2 of 2') });
    expect(await schemaDump(db, url)).toBe(before);
    const last = (await readHistory(db)).at(-1);
    expect(last).toMatchObject({ name: '002_b', success: false, steps_done: 0, error: expect.stringContaining('no_such_type') });
    expect((await migrationStatus(db, failing)).migrations.map((m) => m.state)).toEqual(['applied', 'failed']);
  });

  it('runs CREATE INDEX CONCURRENTLY outside the transaction, and reports an index a failed build leaves INVALID', async (ctx) => {
    const { db } = await testDatabase();
    const ok = await migrationsOf({
      '001_a.yaml': sqlMigration(
        '001',
        [
          "CREATE TABLE pts (id int, code text, geom geometry(Point, 4326));\nINSERT INTO pts VALUES (1, 'a', 'SRID=4326;POINT(0 0)'), (2, 'a', 'SRID=4326;POINT(1 1)')",
        ],
        ['DROP TABLE pts'],
      ),
      '002_b.yaml': sqlMigration('002', ['CREATE INDEX CONCURRENTLY pts_geom ON pts USING gist (geom)'], ['DROP INDEX CONCURRENTLY pts_geom']),
    });
    const steps: boolean[] = [];
    await migrateUp(db, ok, { onProgress: (e) => void (e.type === 'step' && steps.push(e.transactional)) });
    expect(steps).toEqual([true, false]);
    expect((await readHistory(db)).at(-1)).toMatchObject({ name: '002_b', success: true, steps_done: 1, steps_total: 1 });

    const bad = await migrationsOf({
      '001_a.yaml': sqlMigration(
        '001',
        [
          "CREATE TABLE pts (id int, code text, geom geometry(Point, 4326));\nINSERT INTO pts VALUES (1, 'a', 'SRID=4326;POINT(0 0)'), (2, 'a', 'SRID=4326;POINT(1 1)')",
        ],
        ['DROP TABLE pts'],
      ),
      '002_b.yaml': sqlMigration('002', ['CREATE INDEX CONCURRENTLY pts_geom ON pts USING gist (geom)'], ['DROP INDEX CONCURRENTLY pts_geom']),
      '003_c.yaml': sqlMigration('003', ['CREATE UNIQUE INDEX CONCURRENTLY pts_code ON pts (code)'], ['DROP INDEX CONCURRENTLY pts_code']),
    });
    // The embedded database builds indexes at once (no CONCURRENTLY), so it never leaves one INVALID.
    if (db.kind !== 'postgres') return ctx.skip('an INVALID index is left only by a concurrent build, which needs a PostgreSQL server');
    await expect(migrateUp(db, bad)).rejects.toMatchObject({ message: expect.stringContaining('index pts_code was left INVALID') });
    const r = await db.query<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'pts_code'::regclass");
    expect(r.rows[0]?.valid).toBe(false);
    expect((await readHistory(db)).at(-1)).toMatchObject({ name: '003_c', success: false });
  });

  it('two runners at once: exactly one applies, the other says who holds the lock', async (ctx) => {
    const { db, url, kind } = await testDatabase();
    if (kind !== 'postgres' || !url)
      return ctx.skip('the advisory lock between two connections needs a PostgreSQL server (the embedded database has one connection)');
    const other = new PostgresDatabase({ connectionString: url, max: 2 });
    try {
      const migrations = await migrationsOf({ '001_a.yaml': sqlMigration('001', ['SELECT pg_sleep(1.5);\nCREATE TABLE once (id int)'], ['DROP TABLE once']) });
      const results = await Promise.allSettled([migrateUp(db, migrations), migrateUp(other, migrations)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({
        code: 'migration-locked',
        message: expect.stringMatching(/holds the lock: process \d+ \(honua|holds the lock: process \d+/),
      });
      expect((await readHistory(db)).filter((h) => h.success)).toHaveLength(1);
      // waiting instead of failing: the second runner finds nothing left to do
      const again = await Promise.all([migrateUp(db, migrations, { lockWaitMs: 5000 }), migrateUp(other, migrations, { lockWaitMs: 5000 })]);
      expect(again.flat()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a failed post-up validation reverts the migration when its rollback is automatic', async () => {
    const { db } = await testDatabase();
    const migrations = await migrationsOf({
      '001_a.yaml': `${sqlMigration('001', ['CREATE TABLE v (id int)'], ['DROP TABLE v'])}  validation:
    post-up:
      - type: query
        query: SELECT count(*) FROM v
        expected: "> 0"
  rollback:
    automatic: true
    triggers: [validation-failure]
`,
    });
    await expect(migrateUp(db, migrations)).rejects.toMatchObject({ code: 'validation-failed', message: expect.stringContaining('reverted automatically') });
    const r = await db.query<{ t: string | null }>("SELECT to_regclass('public.v')::text AS t");
    expect(r.rows[0]?.t).toBeNull();
  });
});

describe('two honua processes', () => {
  it('two `honua migrate up` processes started together: one applies, the other exits saying who holds the lock', async (ctx) => {
    const { url, kind } = await testDatabase();
    if (kind !== 'postgres' || !url) return ctx.skip('two processes on one database need a PostgreSQL server (an embedded database is one process at a time)');
    const { honuaProcess } = await import('../helpers/cli.js');
    const { repoOf, minimalRepo } = await import('../helpers/repo.js');
    const repo = await repoOf({
      ...minimalRepo(),
      'migrations/001_slow.yaml': sqlMigration('001', ["SET lock_timeout = '5s';\nSELECT pg_sleep(2);\nCREATE TABLE once (id int)"], ['DROP TABLE once']),
    });
    const args = ['migrate', 'up', '--repo', repo, '-e', 'development', '--database-url', url];
    const [a, b] = await Promise.all([honuaProcess(args), honuaProcess(args)]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toMatch(/another migration run holds the lock: process \d+ \(honua, user postgres/);
    expect(loser.stderr).toContain('--wait');
  });
});

describe('migration runner refusals', () => {
  it('refuses BEGIN/COMMIT in a step and SQL that does not parse, before running anything', async () => {
    const { db } = await testDatabase();
    const commit = await migrationsOf({
      '001_a.yaml': sqlMigration('001', ['CREATE TABLE c1 (id int);\nCOMMIT;\nCREATE TABLE c2 (id int)'], ['DROP TABLE c1']),
    });
    await expect(migrateUp(db, commit)).rejects.toMatchObject({ code: 'migration-transaction-control' });
    const syntax = await migrationsOf({ '001_a.yaml': sqlMigration('001', ['CREATE TABLE c1 (id int);\nCREAT TABLE c2 (id int)'], ['DROP TABLE c1']) });
    await expect(migrateUp(db, syntax)).rejects.toMatchObject({ code: 'migration-sql-invalid', message: expect.stringContaining('syntax error') });
    const r = await db.query<{ t: string | null }>("SELECT to_regclass('public.c1')::text AS t");
    expect(r.rows[0]?.t).toBeNull();
  });

  it('a validation failure without automatic revert leaves the migration failed in status, and up does not run it again', async () => {
    const { db } = await testDatabase();
    const migrations = await migrationsOf({
      '001_a.yaml': `${sqlMigration('001', ['CREATE TABLE w (id int)'], ['DROP TABLE w'])}  validation:
    post-up:
      - {type: query, query: SELECT count(*) FROM w, expected: "> 0"}
  rollback:
    automatic: false
`,
    });
    await expect(migrateUp(db, migrations)).rejects.toMatchObject({ code: 'validation-failed' });
    const status = await migrationStatus(db, migrations);
    expect(status.migrations[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('post-up validation failed') });
    expect(await migrateUp(db, migrations)).toEqual([]);
  });

  it('down refuses a migration that changed since it was applied', async () => {
    const { db } = await testDatabase();
    await migrateUp(db, await migrationsOf({ '001_a.yaml': sqlMigration('001', ['CREATE TABLE d (id int)'], ['DROP TABLE d']) }));
    const changed = await migrationsOf({ '001_a.yaml': sqlMigration('001', ['CREATE TABLE d (id int)'], ['DROP TABLE d CASCADE']) });
    await expect(migrateDown(db, changed)).rejects.toMatchObject({ code: 'migration-drift' });
  });
});
