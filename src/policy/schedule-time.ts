import { DateTime } from 'luxon';
import { parseWeekday } from '../config/index.js';
import { UsageError } from '../errors/index.js';

/**
 * The times a person writes when they schedule a deployment — `--schedule "next-tuesday 10:00"`,
 * `--window "next-tuesday 10:00-12:00"`, "tomorrow 09:30", "2026-12-08 10:00", an ISO 8601 instant
 * — read in the policy's time zone (the zone the window is written in, so "10:00" means what the
 * policy means by it). A day name is the coming one (today when the time is still ahead);
 * "next <day>" is the one after today, never today. A range gives the latest start too.
 */
export interface ScheduleTime {
  start: Date;
  /** The end of a range: not started by then, the deployment expires. */
  end?: Date;
  zone: string;
}

const CLOCK = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i;

function clock(text: string): { hour: number; minute: number } | undefined {
  const m = CLOCK.exec(text.trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  const half = m[3]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (m[2] === undefined) return undefined;
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** The day a phrase names, at local midnight in `zone`. */
function day(text: string, now: DateTime): DateTime | undefined {
  const raw = text.trim().toLowerCase();
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const iso = DateTime.fromISO(raw, { zone: now.zone });
    return iso.isValid ? iso.startOf('day') : undefined;
  }
  const t = raw.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ');
  const today = now.startOf('day');
  if (t === 'today') return today;
  if (t === 'tomorrow') return today.plus({ days: 1 });
  const next = /^next (.+)$/.exec(t);
  const weekday = parseWeekday(next ? (next[1] ?? '') : t.replace(/^this /, ''));
  if (weekday === undefined) return undefined;
  let ahead = (weekday - today.weekday + 7) % 7;
  if (next && ahead === 0) ahead = 7;
  return today.plus({ days: ahead });
}

const bad = (text: string, why: string): UsageError =>
  new UsageError('bad-schedule', `"${text}" is not a time Honua can schedule: ${why}`, {
    hint: 'Write e.g. "next-tuesday 10:00", "tomorrow 09:30", "2026-12-08 10:00", a range "next-tuesday 10:00-12:00", or an ISO 8601 time with its offset.',
  });

export function parseScheduleTime(text: string, options: { zone: string; now: Date }): ScheduleTime {
  const input = text.trim();
  const now = DateTime.fromJSDate(options.now, { zone: options.zone });
  if (input === '' || input.length > 100) throw bad(text, 'it is empty or too long');
  // An instant with its offset (or Z) needs no zone.
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(input)) {
    const at = DateTime.fromISO(input, { setZone: true });
    if (!at.isValid) throw bad(text, at.invalidExplanation ?? 'not a valid ISO 8601 time');
    return check({ start: at.toJSDate(), zone: options.zone }, text, options.now);
  }
  const m = /^(.*?)[\sT@]+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)(?:\s*-\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?))?$/i.exec(input);
  if (!m) throw bad(text, 'it names no time of day (add one, e.g. 10:00)');
  const d = day(m[1] ?? '', now);
  if (!d) throw bad(text, `"${m[1]}" is not a day (today, tomorrow, a weekday, next <weekday>, or YYYY-MM-DD)`);
  const from = clock(m[2] ?? '');
  if (!from) throw bad(text, `"${m[2]}" is not a time of day`);
  const start = d.set({ hour: from.hour, minute: from.minute });
  let end: DateTime | undefined;
  if (m[3] !== undefined) {
    const to = clock(m[3]);
    if (!to) throw bad(text, `"${m[3]}" is not a time of day`);
    end = d.set({ hour: to.hour, minute: to.minute });
    if (end <= start) end = end.plus({ days: 1 });
  }
  return check({ start: start.toJSDate(), ...(end ? { end: end.toJSDate() } : {}), zone: options.zone }, text, options.now);
}

function check(time: ScheduleTime, text: string, now: Date): ScheduleTime {
  if (time.start.getTime() <= now.getTime()) throw bad(text, `it is in the past (now is ${now.toISOString()})`);
  if (time.start.getTime() - now.getTime() > 366 * 24 * 3600_000) throw bad(text, 'it is more than a year ahead');
  return time;
}

/** "Tue 2026-12-08 10:00 PST", or "Tue 2026-12-08 10:00-12:00 PST" with an end, in the zone. */
export function formatScheduleTime(time: { start: Date; end?: Date | undefined }, zone: string): string {
  const start = DateTime.fromJSDate(time.start, { zone });
  if (!time.end) return start.toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
  const end = DateTime.fromJSDate(time.end, { zone });
  return `${start.toFormat('ccc yyyy-MM-dd HH:mm')}-${end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('ccc HH:mm')} ${start.toFormat('ZZZZ')}`;
}
