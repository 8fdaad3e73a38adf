import { describe, expect, it } from 'vitest';
import { parseApprover } from '../../src/config/approver.js';
import { compare, parseComparison } from '../../src/config/comparison.js';
import { normalizeCrs, crsUri } from '../../src/config/crs.js';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { canonicalEnvironment, shortEnvironment, sortEnvironments } from '../../src/config/environment.js';
import { expandString, expandValue, unknownPlaceholders } from '../../src/config/template.js';
import { parseHourRanges, parseWeekday } from '../../src/config/window.js';

describe('durations', () => {
  it.each([
    [30, 30_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['500ms', 500],
    ['300', 300_000],
  ])('%j is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '5 minutes', '1x', '-5s', 'h1'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [500, '500ms'],
    [90_000, '1m 30s'],
    [3_600_000, '1h'],
    [93_600_000, '1d 2h'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('CRS codes', () => {
  it.each([
    ['EPSG:4326', 'EPSG:4326'],
    ['epsg:3857', 'EPSG:3857'],
    ['http://www.opengis.net/def/crs/EPSG/0/2263', 'EPSG:2263'],
    ['OGC:CRS84', 'OGC:CRS84'],
    ['CRS84', 'OGC:CRS84'],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'OGC:CRS84'],
  ])('%s → %s', (code, canonical) => expect(normalizeCrs(code)).toBe(canonical));

  it.each(['EPSG:', 'EPSG:abc', '4326', 'WGS84', 'EPSG:0', 'http://example.com/crs/4326'])('%s is malformed', (code) =>
    expect(normalizeCrs(code)).toBeUndefined(),
  );

  it('builds OGC URIs', () => {
    expect(crsUri('EPSG:3857')).toBe('http://www.opengis.net/def/crs/EPSG/0/3857');
    expect(crsUri('OGC:CRS84')).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
  });
});

describe('deployment windows', () => {
  it.each([
    ['Monday', 1],
    ['tue', 2],
    ['WEDNESDAY', 3],
    ['Sun', 7],
  ])('%s is ISO weekday %d', (d, n) => expect(parseWeekday(d)).toBe(n));
  it.each(['Funday', 'mo', 'x'])('%s is not a weekday', (d) => expect(parseWeekday(d)).toBeUndefined());

  it.each([
    ['09:00-17:00', [{ start: 540, end: 1020 }]],
    [
      '06:00-08:00, 20:00-23:30',
      [
        { start: 360, end: 480 },
        { start: 1200, end: 1410 },
      ],
    ],
    ['22:00-02:00', [{ start: 1320, end: 120 }]],
    ['9:00-24:00', [{ start: 540, end: 1440 }]],
  ])('%s', (text, ranges) => expect(parseHourRanges(text)).toEqual(ranges));
  it.each(['9-5', '09:00', '25:00-26:00', '09:00-09:00', '09:60-10:00', '09:00-17:00-18:00'])('%s is malformed', (text) =>
    expect(parseHourRanges(text)).toBeUndefined(),
  );
});

describe('approvers and comparisons', () => {
  it.each([
    ['team:gis-ops', { type: 'team', name: 'gis-ops' }],
    ['role:admin', { type: 'role', name: 'admin' }],
    ['user:jane', { type: 'user', name: 'jane' }],
    ['John@City.gov', { type: 'user', name: 'john@city.gov' }],
  ])('%s', (text, approver) => expect(parseApprover(text)).toEqual(approver));
  it.each(['gis-ops', 'team:', 'squad:x', 'team: x'])('%s is malformed', (text) => expect(parseApprover(text)).toBeUndefined());

  it('compares', () => {
    const c = parseComparison('> 10');
    expect(c).toEqual({ op: '>', value: 10 });
    expect(compare(11, c!)).toBe(true);
    expect(compare(10, c!)).toBe(false);
    expect(parseComparison('more')).toBeUndefined();
  });
});

describe('environments and templates', () => {
  it.each([
    ['dev', 'development'],
    ['Development', 'development'],
    ['stage', 'staging'],
    ['prod', 'production'],
    ['qa', 'qa'],
  ])('%s → %s', (a, b) => expect(canonicalEnvironment(a)).toBe(b));
  it('shortens and sorts', () => {
    expect(shortEnvironment('production')).toBe('prod');
    expect(sortEnvironments(['qa', 'production', 'development', 'staging'])).toEqual(['development', 'staging', 'production', 'qa']);
  });
  it('expands {{env}} and {{environment}}', () => {
    const vars = { env: 'dev', environment: 'development' };
    expect(expandString('environments/{{env}}/layers/a.yaml', vars)).toBe('environments/dev/layers/a.yaml');
    expect(expandString('db_{{ environment }}', vars)).toBe('db_development');
    const v = { a: ['{{env}}', 1], b: { c: 'x' } };
    const e = expandValue(v, vars);
    expect(e).toEqual({ a: ['dev', 1], b: { c: 'x' } });
    expect(e.b).toBe(v.b);
    expect(unknownPlaceholders('{{env}} {{region}}')).toEqual(['region']);
  });
});
