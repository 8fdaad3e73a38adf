import { describe, expect, it } from 'vitest';
import { formatScheduleTime, parseScheduleTime } from '../../src/policy/index.js';

/** Times people write for a schedule, read in the policy's zone (here Los Angeles, on Monday 2026-11-23 10:00 PST). */
const zone = 'America/Los_Angeles';
const now = new Date('2026-11-23T18:00:00Z');

describe('parseScheduleTime', () => {
  it.each([
    ['next-tuesday 10:00', '2026-11-24T18:00:00.000Z', undefined],
    ['next tuesday 10:00', '2026-11-24T18:00:00.000Z', undefined],
    ['tuesday 10:00', '2026-11-24T18:00:00.000Z', undefined],
    ['Tue 9:30am', '2026-11-24T17:30:00.000Z', undefined],
    ['next-monday 09:00', '2026-11-30T17:00:00.000Z', undefined],
    ['monday 11:00', '2026-11-23T19:00:00.000Z', undefined],
    ['tomorrow 09:30', '2026-11-24T17:30:00.000Z', undefined],
    ['today 2pm', '2026-11-23T22:00:00.000Z', undefined],
    ['2026-12-08 10:00', '2026-12-08T18:00:00.000Z', undefined],
    ['2026-12-08T10:00:00Z', '2026-12-08T10:00:00.000Z', undefined],
    ['next-tuesday 10:00-12:00', '2026-11-24T18:00:00.000Z', '2026-11-24T20:00:00.000Z'],
    ['friday 22:00-02:00', '2026-11-28T06:00:00.000Z', '2026-11-28T10:00:00.000Z'],
  ])('%s', (text, start, end) => {
    const t = parseScheduleTime(text, { zone, now });
    expect(t.start.toISOString()).toBe(start);
    expect(t.end?.toISOString()).toBe(end);
  });

  it.each([
    ['', /empty/],
    ['next-tuesday', /no time of day/],
    ['someday 10:00', /not a day/],
    ['tuesday 25:00', /not a time of day/],
    ['monday 09:00', /in the past/],
    ['2026-02-30 10:00', /not a day/],
    ['2028-01-01 10:00', /more than a year/],
    ['2026-11-20T10:00:00Z', /in the past/],
  ])('refuses %j', (text, why) => {
    expect(() => parseScheduleTime(text, { zone, now })).toThrow(why);
  });

  it('keeps local wall time across a daylight-saving change and formats it in the zone', () => {
    const march = parseScheduleTime('2027-03-16 10:00', { zone, now });
    expect(march.start.toISOString()).toBe('2027-03-16T17:00:00.000Z');
    expect(formatScheduleTime(parseScheduleTime('next-tuesday 10:00-12:00', { zone, now }), zone)).toBe('Tue 2026-11-24 10:00-12:00 PST');
  });
});
