import { beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { migrateDown, migrateUp } from '../../src/db/migrate/runner.js';
import { inspectDatabase } from '../../src/db/inspect.js';
import { nextMigration } from '../../src/generate/migration.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { consultant } from '../helpers/consultant.js';
import { migrationsOf } from '../helpers/migrations.js';
import { sampleCopy } from '../helpers/repo.js';

/**
 * Generated migrations lint clean, validate, and do what they say on a real database: up
 * creates the index / column / table, the post-up validations pass, down removes it again.
 */
describe('generate migration', () => {
  let t: TestDatabase;
  let repo: string;
  beforeAll(async () => {
    t = await testDatabase({ sampleCity: true });
    // A table no migration of the sample indexes (bike_lanes' index is pending migration 003's).
    await t.db.exec('CREATE TABLE public.benches_raw (id integer PRIMARY KEY, geom geometry(Point, 4326)); ');
    repo = await sampleCopy();
  }, 120_000);

  const cases = [
    {
      kind: 'spatial-index',
      request: { kind: 'spatial-index', table: 'benches_raw' },
      check: async () => (await inspectDatabase(t.db, { table: 'benches_raw' })).tables[0]?.geometryColumns[0]?.spatialIndex,
    },
    {
      kind: 'add-column',
      request: { kind: 'add-column', table: 'parks', column: 'inspected_on', type: 'date' },
      check: async () => (await inspectDatabase(t.db, { table: 'parks' })).tables[0]?.columns.some((c) => c.name === 'inspected_on') || undefined,
    },
    {
      kind: 'add-column (geometry)',
      request: { kind: 'add-column', table: 'parks', column: 'entrance', type: 'geometry(Point, 4326)' },
      check: async () => (await inspectDatabase(t.db, { table: 'parks' })).tables[0]?.geometryColumns.find((g) => g.column === 'entrance')?.spatialIndex,
    },
    {
      kind: 'add-table',
      request: { kind: 'add-table', table: 'benches', geometryType: 'Point', srid: 4326, columns: [{ name: 'material', type: 'text' }] },
      check: async () => (await inspectDatabase(t.db, { table: 'benches' })).tables[0]?.geometryColumns[0]?.spatialIndex,
    },
  ] as const;

  test.each(cases)('$kind: lints clean, validates, applies and reverts', async ({ request, check }) => {
    const { engine } = consultant({ repoDir: repo, db: t.db });
    const g = await engine.generateMigration(request as never);
    expect(g.lint).toEqual([]);
    expect(g.validation.valid).toBe(true);
    expect(g.validation.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const doc = parse(g.files[0]?.content ?? '') as { spec: { down?: unknown[]; validation?: Record<string, unknown[]> } };
    expect(doc.spec.down?.length).toBeGreaterThan(0);
    expect(doc.spec.validation?.['post-up']?.length).toBeGreaterThan(0);
    // Alone in a small repository: without its dependency on the sample's last migration.
    delete (doc.spec as { dependencies?: unknown }).dependencies;
    const migrations = await migrationsOf({ [`${g.name}.yaml`]: stringify(doc) });
    const up = await migrateUp(t.db, migrations);
    expect(up).toHaveLength(1);
    expect(up[0]?.revertedAfterFailedValidation).toBeFalsy();
    expect(up[0]?.checks.every((c) => c.passed)).toBe(true);
    expect(await check()).toBeTruthy();
    await migrateDown(t.db, migrations);
    expect(await check()).toBeFalsy();
    await engine.close();
  });

  test('refuses what would hurt or makes no sense', async () => {
    const { engine } = consultant({ repoDir: repo, db: t.db });
    await expect(engine.generateMigration({ kind: 'spatial-index', table: 'parks' })).rejects.toMatchObject({ code: 'index-exists' });
    await expect(engine.generateMigration({ kind: 'add-column', table: 'parks', column: 'acres', type: 'real' })).rejects.toMatchObject({
      code: 'column-exists',
    });
    await expect(engine.generateMigration({ kind: 'add-column', table: 'parks', column: 'x', type: 'int', nullable: false })).rejects.toMatchObject({
      code: 'not-null-without-default',
    });
    await expect(
      engine.generateMigration({ kind: 'add-column', table: 'parks', column: 'x', type: 'uuid', default: 'gen_random_uuid()' }),
    ).rejects.toMatchObject({ code: 'volatile-default' });
    await expect(engine.generateMigration({ kind: 'add-table', table: 'parks', geometryType: 'Point' })).rejects.toMatchObject({ code: 'table-exists' });
    await expect(engine.generateMigration({ kind: 'add-column', table: 'parks', column: 'bad name', type: 'text' })).rejects.toMatchObject({
      code: 'bad-identifier',
    });
    await engine.close();
  });

  test.each([
    [
      'a spatial index a pending migration creates',
      { kind: 'spatial-index', table: 'bike_lanes' },
      /migration 003_optimize_bike_lanes already adds a spatial index on public\.bike_lanes\.geom; it is pending in development/,
    ],
    [
      'a column a migration adds',
      { kind: 'add-column', table: 'parcels', column: 'zoning_code', type: 'text' },
      /migration 00\d_\w+ already adds the column public\.parcels\.zoning_code; it is pending in development/,
    ],
    [
      'a table a migration creates',
      { kind: 'add-table', table: 'parcels', geometryType: 'MultiPolygon' },
      /migration 00\d_\w+ already creates the table public\.parcels/,
    ],
  ] as const)('never proposes %s', async (_what, request, message) => {
    // A database without the sample's tables: only the repository knows what its migrations create.
    const { db } = await testDatabase({ sampleCity: false });
    await db.exec(
      'CREATE TABLE public.bike_lanes (id integer PRIMARY KEY, geom geometry(LineString, 4326)); CREATE TABLE public.parcels (id integer PRIMARY KEY, geom geometry(MultiPolygon, 4326))',
    );
    const { engine } = consultant({ repoDir: repo, db });
    await expect(engine.generateMigration(request as never)).rejects.toMatchObject({
      code: 'already-in-migration',
      message: expect.stringMatching(message),
      hint: expect.stringMatching(/honua plan -e development/),
    });
    await engine.close();
  });

  test('ids follow the last migration and depend on it', () => {
    expect(nextMigration([])).toEqual({ id: '001' });
    expect(
      nextMigration([
        { id: '001', name: '001_a' },
        { id: '003', name: '003_c' },
        { id: '002', name: '002_b' },
      ]),
    ).toEqual({ id: '004', dependsOn: '003_c' });
    expect(nextMigration([{ id: '0099', name: '0099_x' }])).toEqual({ id: '0100', dependsOn: '0099_x' });
  });
});
