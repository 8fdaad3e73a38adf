import { describe, expect, it } from 'vitest';
import { estimateStep, formatSeconds, tablesIn } from '../../src/plan/index.js';

/** Rough durations of migration steps from what their SQL does and the rows of the tables it names. */
const rows = new Map([
  ['bike_lanes', 2_000_000],
  ['public.parcels', 900_000],
  ['parcels', 900_000],
]);
const rowsOf = (t: string) => rows.get(t);

describe('estimateStep', () => {
  it.each([
    ['CREATE INDEX idx ON bike_lanes USING GIST (geom);', 50, /spatial index build over 2,000,000 rows \(bike_lanes\)/],
    ['CREATE INDEX CONCURRENTLY idx ON bike_lanes USING gist (geom);', 100, /spatial index build/],
    ['CREATE INDEX idx ON public.parcels (zoning);', 3, /index build over 900,000 rows \(public.parcels\)/],
    ['UPDATE parcels SET zoning = upper(zoning) WHERE zoning IS NOT NULL;', 23, /row updates/],
    ['ALTER TABLE "parcels" ALTER COLUMN area TYPE numeric(12,2);', 12, /table rewrite/],
    ['ALTER TABLE parcels ADD CONSTRAINT c CHECK (area > 0) NOT VALID;', 1, /metadata-only/],
    ['ALTER TABLE parcels ADD COLUMN note text;', 1, /metadata-only/],
    ['ANALYZE bike_lanes;', 1, /statistics/],
    ['CREATE INDEX idx ON unknown_table (x);', 1, /table size unknown/],
  ])('%s', (sql, seconds, basis) => {
    const e = estimateStep(sql, rowsOf);
    expect(e.seconds).toBe(seconds);
    expect(e.basis).toMatch(basis);
  });

  it('finds the tables a statement names and formats durations', () => {
    expect(tablesIn('INSERT INTO a.b SELECT * FROM "C"')).toEqual(['a.b', 'c']);
    expect([formatSeconds(5), formatSeconds(600), formatSeconds(7200)]).toEqual(['~5s', '~10 min', '~2.0 h']);
  });
});
