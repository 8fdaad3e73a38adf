/**
 * Deployment window grammar: weekday names and "HH:MM-HH:MM" hour ranges (several separated by
 * commas; a range whose end is not after its start runs past midnight, e.g. "22:00-02:00").
 */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** ISO weekday number (Monday = 1 ... Sunday = 7) of a day name or 3-letter abbreviation, any case. */
export function parseWeekday(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((d) => d === s || (s.length >= 3 && d.startsWith(s) && s.length <= d.length));
  return i >= 0 ? i + 1 : undefined;
}

export const weekdayName = (isoDay: number): string => {
  const d = WEEKDAYS[isoDay - 1] ?? 'monday';
  return d[0]?.toUpperCase() + d.slice(1);
};

export interface HourRange {
  /** Minutes after local midnight. */
  start: number;
  /** Minutes after local midnight; <= start means the range ends the next day. */
  end: number;
}

const CLOCK = /^([01]?\d|2[0-4]):([0-5]\d)$/;

function parseClock(s: string): number | undefined {
  const m = CLOCK.exec(s.trim());
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

export function parseHourRanges(text: string): HourRange[] | undefined {
  const ranges: HourRange[] = [];
  for (const part of text.split(',')) {
    const [a, b, ...rest] = part.split('-');
    if (a === undefined || b === undefined || rest.length > 0) return undefined;
    const start = parseClock(a);
    const end = parseClock(b);
    if (start === undefined || end === undefined || start === end || start === 24 * 60) return undefined;
    ranges.push({ start, end });
  }
  return ranges.length > 0 ? ranges : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');
export const formatClock = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
export const formatHourRange = (r: HourRange): string => `${formatClock(r.start)}-${formatClock(r.end)}`;
