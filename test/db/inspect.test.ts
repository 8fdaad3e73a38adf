import { describe, expect, it } from 'vitest';
import { inspectDatabase } from '../../src/db/inspect.js';
import { honua } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { schemaErrors } from '../helpers/json-schema.js';

const GEOMETRY_COLUMNS = [
  'public.air_sensors.location geography(Point,4326)',
  'public.bike_lanes.geom geometry(LineString,4326)',
  'public.neighborhoods.geom geometry(Polygon,4326)',
  'public.parcels.geom geometry(MultiPolygon,4326)',
  'public.parks.geom geometry(MultiPolygon,4326)',
  'public.protected_bike_lanes.geom geometry(LineString,4326)',
  'public.street_trees.geom geometry(Point,4326)',
  'public.transit_stops.geom geometry(Point,4326)',
  'public.zoning.geom geometry(MultiPolygon,4326)',
  'transit.routes.geom geometry(MultiLineString,4326)',
];

describe('schema inspection of the sample city', () => {
  it('lists every geometry column with its type and SRID and flags the table without a spatial index', async (ctx) => {
    const { db, url, kind } = await testDatabase({ sampleCity: true });
    const r = await inspectDatabase(db);
    const cols = r.tables.flatMap((t) => t.geometryColumns.map((g) => `${t.schema}.${t.name}.${g.column} ${g.kind}(${g.type},${g.srid})`)).sort();
    expect(cols).toEqual(GEOMETRY_COLUMNS);
    expect(r.summary.missingSpatialIndex).toEqual(['public.bike_lanes.geom']);
    expect(r.tables.map((t) => t.name)).not.toContain('spatial_ref_sys');
    const parcels = r.tables.find((t) => t.name === 'parcels')!;
    expect(parcels).toMatchObject({ kind: 'table', primaryKey: ['parcel_id'], comment: expect.any(String) });
    expect(parcels.geometryColumns[0]?.spatialIndex).toBe('idx_parcels_geom');
    expect(r.tables.find((t) => t.name === 'protected_bike_lanes')?.kind).toBe('view');
    expect(r.tables.find((t) => t.name === 'street_trees')?.foreignKeys).toMatchObject([
      { columns: ['park_id'], references: { table: 'parks', columns: ['id'] } },
    ]);

    const exact = await inspectDatabase(db, { table: 'bike_lanes', exactCounts: true, exactExtents: true });
    expect(exact.tables).toHaveLength(1);
    expect(exact.tables[0]).toMatchObject({ rows: 42 });
    const [x0, y0, x1, y1] = exact.tables[0]!.geometryColumns[0]!.extent!.bbox;
    expect([x0 >= -122.8, y0 >= 45.43, x1 <= -122.45, y1 <= 45.62]).toEqual([true, true, true, true]);

    // The CLI's --database-url reaches a server; the embedded database has no URL.
    if (kind !== 'postgres' || !url) return ctx.skip('honua db inspect --database-url needs a PostgreSQL server');
    const cli = await honua(['db', 'inspect', '--database-url', url, '--json']);
    expect(cli.code).toBe(0);
    const json = JSON.parse(cli.stdout);
    expect(schemaErrors('inspection', json)).toEqual([]);
    expect(json.summary.missingSpatialIndex).toEqual(['public.bike_lanes.geom']);
    const human = await honua(['db', 'inspect', '--database-url', url, '--table', 'bike_lanes']);
    expect(human.stdout).toContain('geometry geom: geometry(LineString, 4326), 2D, no spatial index');
    expect(human.stdout).toMatch(/^  lane_type +character varying\(50\) +yes/m);
  });

  it('says where it failed to connect, without a stack trace', async () => {
    const r = await honua(['db', 'inspect', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot connect to postgres://nobody@127.0.0.1:1/none');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
