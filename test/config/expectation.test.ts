import { describe, expect, it } from 'vitest';
import { describeExpectation, type Expectation, parseExpectation } from '../../src/config/expectation.js';

const ok: Array<[string | number | boolean, Expectation]> = [
  ['> 0', { kind: 'value', comparison: { op: '>', value: 0 } }],
  ['>= 10', { kind: 'value', comparison: { op: '>=', value: 10 } }],
  ['=1', { kind: 'value', comparison: { op: '=', value: 1 } }],
  ['== 1', { kind: 'value', comparison: { op: '=', value: 1 } }],
  ['!= 0', { kind: 'value', comparison: { op: '!=', value: 0 } }],
  ['< -1.5', { kind: 'value', comparison: { op: '<', value: -1.5 } }],
  ['42', { kind: 'value', comparison: { op: '=', value: 42 } }],
  [7, { kind: 'value', comparison: { op: '=', value: 7 } }],
  ['1 row', { kind: 'rows', comparison: { op: '=', value: 1 } }],
  ['0 rows', { kind: 'rows', comparison: { op: '=', value: 0 } }],
  ['no rows', { kind: 'rows', comparison: { op: '=', value: 0 } }],
  ['At least 10 rows', { kind: 'rows', comparison: { op: '>=', value: 10 } }],
  ['at most 5 rows', { kind: 'rows', comparison: { op: '<=', value: 5 } }],
  ['more than 3 rows', { kind: 'rows', comparison: { op: '>', value: 3 } }],
  ['> 3 rows', { kind: 'rows', comparison: { op: '>', value: 3 } }],
  ['all true', { kind: 'all', value: true }],
  ['ALL FALSE', { kind: 'all', value: false }],
  ['true', { kind: 'equals', value: true }],
  [false, { kind: 'equals', value: false }],
  ["'POINT'", { kind: 'equals', value: 'POINT' }],
  ['Index Scan using idx_bike_lanes_geom', { kind: 'plan', negate: false, node: 'Index Scan', target: 'idx_bike_lanes_geom' }],
  ['index only scan using "My Index"', { kind: 'plan', negate: false, node: 'Index Only Scan', target: 'My Index' }],
  ['Bitmap Index Scan on idx_parcels_geom', { kind: 'plan', negate: false, node: 'Bitmap Index Scan', target: 'idx_parcels_geom' }],
  ['no Seq Scan', { kind: 'plan', negate: true, node: 'Seq Scan' }],
  ['no seq scan on parcels', { kind: 'plan', negate: true, node: 'Seq Scan', target: 'parcels' }],
  ['uses index idx_zoning_geom', { kind: 'plan', negate: false, node: 'any index scan', target: 'idx_zoning_geom' }],
  ['does not use an index', { kind: 'plan', negate: true, node: 'any index scan' }],
  ['< 200ms', { kind: 'duration', comparison: { op: '<', value: 200 } }],
  ['<= 2s', { kind: 'duration', comparison: { op: '<=', value: 2000 } }],
];

const bad = ['', 'mostly true', '> zero', 'rows', 'Index Scan with idx', 'some rows', '>> 1', 'all maybe'];

describe('expectation grammar', () => {
  it.each(ok)('parses %j', (text, expected) => {
    const r = parseExpectation(text);
    expect(r).toEqual({ ok: true, expectation: expected });
  });

  it.each(bad)('rejects %j with a message', (text) => {
    const r = parseExpectation(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['> 0', 'a value of more than 0'],
    ['0 rows', 'no rows'],
    ['1 row', 'exactly 1 row'],
    ['at least 10 rows', 'at least 10 rows'],
    ['all true', 'every value to be true'],
    ['Index Scan using idx_a', 'an Index Scan using idx_a in the query plan'],
    ['uses index idx_b', 'an index scan using idx_b in the query plan'],
    ['no Seq Scan', 'no Seq Scan in the query plan'],
    ['< 200ms', 'execution time less than 200ms'],
  ])('describes %j as %j', (text, words) => {
    const r = parseExpectation(text);
    if (!r.ok) throw new Error(r.message);
    expect(describeExpectation(r.expectation)).toBe(words);
  });
});
