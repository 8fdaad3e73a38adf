import { DateTime } from 'luxon';
import { formatHourRange, weekdayName, type Blackout, type EffectivePolicy } from '../config/index.js';

/**
 * Time rules of a policy: the deployment window (weekdays and hours in an IANA time zone),
 * blackout periods and the cooldown. Wall-clock times are interpreted in the policy's zone, so
 * "09:00" is 09:00 local on both sides of a daylight-saving change; a window start that falls
 * in a spring-forward gap moves to the first valid minute after it.
 */
export type Window = NonNullable<EffectivePolicy['window']>;

const minuteOfDay = (t: DateTime): number => t.hour * 60 + t.minute;

export function inWindow(at: Date, window: Window): boolean {
  const t = DateTime.fromJSDate(at, { zone: window.timezone });
  const today = window.days.includes(t.weekday);
  if (window.hours.length === 0) return today;
  const m = minuteOfDay(t);
  const yesterday = window.days.includes(t.minus({ days: 1 }).weekday);
  return window.hours.some((r) => (r.end > r.start ? today && m >= r.start && m < r.end : (today && m >= r.start) || (yesterday && m < r.end)));
}

/**
 * The first instant at which the local clock of `day` reads `minutes` or later. On the night
 * clocks fall back a wall time happens twice: the first one counts. On the night they spring
 * forward a wall time in the gap never happens: the window opens when the clock jumps past it
 * (luxon alone would move 02:30 to 03:30, half an hour late, and pick the second of two 01:30s).
 */
export function wallClock(day: DateTime, minutes: number, zone: string): Date {
  let t = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
  const earlier = t.minus({ hours: 1 });
  if (earlier.day === t.day && earlier.hour === t.hour && earlier.minute === t.minute) t = earlier;
  if (minuteOfDay(t) !== minutes && t.day === day.day) {
    for (let i = 0; i < 240; i++) {
      const previous = t.minus({ minutes: 1 });
      if (previous.day !== t.day || minuteOfDay(previous) < minutes) break;
      t = previous;
    }
  }
  return t.toJSDate();
}

/** Window openings from the start of `from`'s local day, for `days` days. */
export function windowOpenings(from: Date, window: Window, days: number): Date[] {
  const out: Date[] = [];
  const start = DateTime.fromJSDate(from, { zone: window.timezone }).startOf('day');
  const ranges = window.hours.length > 0 ? window.hours : [{ start: 0, end: 24 * 60 }];
  for (let d = 0; d < days; d++) {
    const day = start.plus({ days: d });
    if (!window.days.includes(day.weekday)) continue;
    for (const r of ranges) {
      out.push(wallClock(day, r.start, window.timezone));
    }
  }
  return out;
}

export const activeBlackout = (at: Date, blackouts: readonly Blackout[]): Blackout | undefined =>
  blackouts.find((b) => at.getTime() >= Date.parse(b.start) && at.getTime() < Date.parse(b.end));

/**
 * The earliest instant at or after `now` when the window is open, no blackout is active and the
 * cooldown is over, searching `horizonDays` ahead; undefined when there is none.
 */
export function earliestAllowed(now: Date, policy: EffectivePolicy, cooldownEnd: Date | undefined, horizonDays = 400): Date | undefined {
  const candidates: Date[] = [now];
  if (cooldownEnd && cooldownEnd > now) candidates.push(cooldownEnd);
  for (const b of policy.blackouts) {
    const end = new Date(b.end);
    if (end > now) candidates.push(end);
  }
  if (policy.window) candidates.push(...windowOpenings(now, policy.window, horizonDays).filter((t) => t > now));
  candidates.sort((a, b) => a.getTime() - b.getTime());
  return candidates.find(
    (t) => (!policy.window || inWindow(t, policy.window)) && !activeBlackout(t, policy.blackouts) && (!cooldownEnd || t.getTime() >= cooldownEnd.getTime()),
  );
}

/** "Tue 2025-11-04 09:00 PST" in a zone. */
export const formatLocal = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');

export function describeWindow(window: Window): string {
  const days = window.days.length === 7 ? 'every day' : window.days.map((d) => weekdayName(d).slice(0, 3)).join(', ');
  const hours = window.hours.length === 0 ? 'all day' : window.hours.map(formatHourRange).join(', ');
  return `${days} ${hours} ${window.timezone}`;
}
