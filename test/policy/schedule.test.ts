import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, type EffectivePolicy } from '../../src/config/effective-policy.js';
import { earliestAllowed, inWindow, wallClock, type Window } from '../../src/policy/schedule.js';

const LA = 'America/Los_Angeles';
const tueToThu: Window = { days: [2, 3, 4], hours: [{ start: 9 * 60, end: 17 * 60 }], timezone: LA };
const at = (iso: string) => new Date(iso);

describe('deployment window', () => {
  it.each([
    ['2026-11-24T17:00:00Z', true], // Tue 09:00 PST, opening minute
    ['2026-11-24T16:59:00Z', false], // Tue 08:59 PST
    ['2026-11-25T00:59:00Z', true], // Tue 16:59 PST
    ['2026-11-25T01:00:00Z', false], // Tue 17:00 PST, closed
    ['2026-11-28T18:00:00Z', false], // Saturday
    ['2026-06-09T16:00:00Z', true], // Tue 09:00 PDT (summer: UTC-7)
  ])('%s open: %s', (t, open) => expect(inWindow(at(t), tueToThu)).toBe(open));

  it('handles ranges past midnight', () => {
    const night: Window = { days: [5], hours: [{ start: 22 * 60, end: 2 * 60 }], timezone: 'UTC' };
    expect(inWindow(at('2026-11-27T23:00:00Z'), night)).toBe(true); // Friday 23:00
    expect(inWindow(at('2026-11-28T01:30:00Z'), night)).toBe(true); // Saturday 01:30, still Friday's window
    expect(inWindow(at('2026-11-28T02:00:00Z'), night)).toBe(false);
    expect(inWindow(at('2026-11-27T01:00:00Z'), night)).toBe(false); // Friday 01:00 belongs to Thursday
  });

  it('resolves wall-clock times on daylight-saving nights', () => {
    const day = (iso: string) => DateTime.fromISO(iso, { zone: LA });
    // spring forward 2026-03-08: 02:00-03:00 does not exist; a 02:30 opening happens at 03:00 PDT
    expect(wallClock(day('2026-03-08'), 150, LA).toISOString()).toBe('2026-03-08T10:00:00.000Z');
    // fall back 2026-11-01: 01:30 happens twice; the first (PDT) counts
    expect(wallClock(day('2026-11-01'), 90, LA).toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(wallClock(day('2026-11-03'), 540, LA).toISOString()).toBe('2026-11-03T17:00:00.000Z');
  });
});

describe('earliest allowed time', () => {
  const policy = (patch: Partial<EffectivePolicy>): EffectivePolicy => ({ ...defaultPolicy('production'), window: tueToThu, timezone: LA, ...patch });

  it('is now when everything is open', () => {
    expect(earliestAllowed(at('2026-11-24T18:00:00Z'), policy({}), undefined)?.toISOString()).toBe('2026-11-24T18:00:00.000Z');
  });

  it('is the next opening, in local time across the fall-back change', () => {
    // Saturday 2026-10-31 10:00 PDT; clocks fall back on Sunday; Tuesday 09:00 is now PST (17:00Z, not 16:00Z)
    expect(earliestAllowed(at('2026-10-31T17:00:00Z'), policy({}), undefined)?.toISOString()).toBe('2026-11-03T17:00:00.000Z');
  });

  it('is the next opening across the spring-forward change', () => {
    // Saturday 2026-03-07 10:00 PST; Tuesday 09:00 PDT is 16:00Z
    expect(earliestAllowed(at('2026-03-07T18:00:00Z'), policy({}), undefined)?.toISOString()).toBe('2026-03-10T16:00:00.000Z');
  });

  it('skips a blackout and waits out a cooldown', () => {
    const blackouts = [{ name: 'freeze', start: '2026-12-21T08:00:00.000Z', end: '2027-01-05T08:00:00.000Z' }];
    // Tue 2026-12-22 10:00 PST is in the freeze; it ends Tue 2027-01-05 00:00 PST; the window opens at 09:00
    expect(earliestAllowed(at('2026-12-22T18:00:00Z'), policy({ blackouts }), undefined)?.toISOString()).toBe('2027-01-05T17:00:00.000Z');
    // cooldown ends mid-window: that is the time
    expect(earliestAllowed(at('2026-11-24T18:00:00Z'), policy({}), at('2026-11-24T18:30:00Z'))?.toISOString()).toBe('2026-11-24T18:30:00.000Z');
    // cooldown ends after closing time: the next opening
    expect(earliestAllowed(at('2026-11-26T00:30:00Z'), policy({}), at('2026-11-26T01:30:00Z'))?.toISOString()).toBe('2026-11-26T17:00:00.000Z');
  });

  it('is undefined when nothing is ever allowed within the horizon', () => {
    const blackouts = [{ start: '2026-01-01T00:00:00.000Z', end: '2030-01-01T00:00:00.000Z' }];
    expect(earliestAllowed(at('2026-11-24T18:00:00Z'), policy({ blackouts }), undefined)).toBeUndefined();
  });
});
