import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { layerGeometryType } from '../../src/generate/layer.js';
import { resourceName } from '../../src/generate/names.js';
import { embeddedTestDatabase, testDatabase, type TestDatabase } from '../helpers/database.js';
import { consultant } from '../helpers/consultant.js';
import { honua } from '../helpers/cli.js';
import { sampleCopy } from '../helpers/repo.js';

/**
 * For every table of the sample city, on the real server and on the embedded database: the
 * generated layer validates with `honua validate` and matches the table (geometry type, SRID,
 * key, fields). Tables without geometry are refused with a reason.
 */
const SPATIAL = [
  'public.bike_lanes',
  'public.zoning',
  'public.transit_stops',
  'public.parcels',
  'public.parks',
  'public.street_trees',
  'public.neighborhoods',
  'public.air_sensors',
  'transit.routes',
  'public.protected_bike_lanes',
];

describe.each([
  ['server', () => testDatabase({ sampleCity: true })],
  ['embedded', () => embeddedTestDatabase({ sampleCity: true })],
] as const)('generate layer on the %s database', (_kind, open) => {
  let t: TestDatabase;
  let repo: string;
  beforeAll(async () => {
    t = await open();
    repo = await sampleCopy();
  }, 120_000);
  afterAll(async () => undefined);

  test('every spatial table gives a layer that validates and matches it', async () => {
    const { engine } = consultant({ repoDir: repo, db: t.db });
    const inspection = await engine.inspect();
    const spatial = inspection.tables.filter((x) => x.geometryColumns.length > 0).map((x) => `${x.schema}.${x.name}`);
    expect(spatial.sort()).toEqual([...SPATIAL].sort());
    for (const name of spatial) {
      const table = inspection.tables.find((x) => `${x.schema}.${x.name}` === name);
      if (!table) throw new Error(name);
      const g = await engine.generateLayer({ table: name, service: 'planning', name: `gen-${resourceName(name)}` });
      expect(g.validation, name).toMatchObject({ valid: true });
      expect(g.mismatches, name).toEqual([]);
      const spec = g.layer.spec;
      const geometry = table.geometryColumns[0];
      expect(spec.geometryType, name).toBe(layerGeometryType(geometry?.type ?? ''));
      expect(spec.storage.srid, name).toBe(geometry?.srid);
      expect(spec.storage.geometryColumn).toBe(geometry?.column);
      if (table.primaryKey.length === 1) expect(spec.idField, name).toBe(table.primaryKey[0]);
      expect(
        spec.fields.map((f) => f.name),
        name,
      ).toEqual(table.columns.filter((c) => !table.geometryColumns.some((gc) => gc.column === c.name)).map((c) => c.name));
      expect(spec.crs.slice(0, 2)).toEqual(['EPSG:4326', 'EPSG:3857']);
      expect(g.files.map((f) => f.path)).toEqual(
        ['development', 'staging', 'production'].map((e) => `environments/${e}/layers/gen-${resourceName(name)}.yaml`),
      );
      for (const f of g.files) {
        await mkdir(path.dirname(path.join(repo, f.path)), { recursive: true });
        await writeFile(path.join(repo, f.path), f.content);
      }
    }
    const result = await honua(['validate', '--repo', repo]);
    expect(result.stderr + result.stdout).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    await engine.close();
  }, 120_000);

  test('a table without geometry, an unknown table and an already published table are refused with reasons', async () => {
    const { engine } = consultant({ repoDir: repo, db: t.db });
    await expect(engine.generateLayer({ table: 'land_use_codes', service: 'planning' })).rejects.toMatchObject({ code: 'no-geometry-column' });
    await expect(engine.generateLayer({ table: 'bike_lane', service: 'planning' })).rejects.toMatchObject({
      code: 'unknown-table',
      hint: expect.stringContaining('public.bike_lanes'),
    });
    await expect(engine.generateLayer({ table: 'bike_lanes', service: 'transportation' })).rejects.toMatchObject({ code: 'layer-exists' });
    await expect(engine.generateLayer({ table: 'bike_lanes', service: 'planning' })).rejects.toMatchObject({ code: 'table-already-published' });
    await expect(engine.generateLayer({ table: 'parks', service: 'nope' })).rejects.toMatchObject({ code: 'unknown-service' });
    await engine.close();
  });
});
