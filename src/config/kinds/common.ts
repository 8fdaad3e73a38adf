import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseApprover } from '../approver.js';
import { parseComparison } from '../comparison.js';
import { normalizeCrs } from '../crs.js';
import { parseDuration } from '../duration.js';
import { parseExpectation } from '../expectation.js';
import type { ProblemCode } from '../problem.js';
import { distance } from 'fastest-levenshtein';
import { suggest } from '../suggest.js';
import { parseHourRanges, parseWeekday } from '../window.js';

/** The only API version this release reads. */
export const API_VERSION = 'honua.io/v1';

/**
 * Adds a semantic check to a schema; its failures carry a Honua problem code in `params.code`
 * so the issue mapper reports `bad-crs` rather than a generic "invalid value".
 */
export function coded<T extends z.ZodType>(
  schema: T,
  code: ProblemCode,
  check: (value: z.output<T>) => string | { message: string; hint?: string | undefined } | undefined,
): T {
  return schema.superRefine((value, ctx) => {
    const result = check(value as z.output<T>);
    if (result === undefined) return;
    const { message, hint } = typeof result === 'string' ? { message: result, hint: undefined } : result;
    ctx.addIssue({ code: 'custom', message, params: { code, ...(hint ? { hint } : {}) } });
  }) as unknown as T;
}

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

export const Name = coded(z.string(), 'bad-name', (s) => (NAME_PATTERN.test(s) ? undefined : `"${s}" is not a valid name`)).meta({
  description: 'Lowercase letters, digits, -, _ and . (at most 63 characters).',
  pattern: NAME_PATTERN.source,
});

export const Duration = coded(z.union([z.number(), z.string()]), 'bad-duration', (v) =>
  parseDuration(v) === undefined ? `"${v}" is not a duration` : undefined,
).meta({ description: 'Seconds as a number, or a duration such as 30s, 5m, 1h30m, 24h, 7d.', examples: ['30s', '5m', '24h'] });

export const CrsCode = coded(z.string(), 'bad-crs', (s) => (normalizeCrs(s) ? undefined : `"${s}" is not a CRS code`)).meta({
  description: 'EPSG:<code>, OGC:CRS84, or an OGC CRS URI.',
  examples: ['EPSG:4326', 'EPSG:3857', 'http://www.opengis.net/def/crs/EPSG/0/2263'],
});

let zones: string[] | undefined;
/** The IANA zone a misspelt one most likely meant: the same region with a city name a typo or two away. */
function nearestZone(s: string): string | undefined {
  zones ??= Intl.supportedValuesOf('timeZone');
  const exact = zones.find((z) => z.toLowerCase() === s.toLowerCase());
  if (exact) return exact;
  const city = (z: string) => (z.split('/').at(-1) ?? z).toLowerCase();
  const want = city(s);
  const best = suggest(want, zones.map(city));
  if (!best || distance(best, want) > 2) return undefined;
  return zones.find((z) => city(z) === best);
}

export const TimeZone = coded(z.string(), 'bad-timezone', (s) => {
  if (IANAZone.isValidZone(s)) return undefined;
  const near = nearestZone(s);
  return { message: `"${s}" is not an IANA time zone`, hint: near ? `Did you mean "${near}"?` : undefined };
}).meta({ description: 'IANA time zone name.', examples: ['America/Los_Angeles', 'UTC'] });

export const ExpectationText = coded(z.union([z.string(), z.number(), z.boolean()]), 'bad-expectation', (v) => {
  const r = parseExpectation(v);
  return r.ok ? undefined : r.message;
}).meta({
  description: 'What the check must return: "> 0", "1 row", "0 rows", "all true", "Index Scan using idx", "< 200ms", ...',
  examples: ['> 0', '1 row', '0 rows', 'all true', 'Index Scan using idx_bike_lanes_geom'],
});

export const ApproverRef = coded(z.string(), 'bad-approver', (s) => (parseApprover(s) ? undefined : `"${s}" is not an approver reference`)).meta({
  description: 'team:<name>, role:<name>, user:<name>, group:<name>, or an email address.',
  examples: ['team:gis-ops', 'role:admin', 'jane@city.gov'],
});

export const Weekday = coded(z.string(), 'bad-window', (s) => (parseWeekday(s) ? undefined : `"${s}" is not a day of the week`)).meta({
  examples: ['Tuesday', 'wed'],
});

export const HourRanges = coded(z.string(), 'bad-window', (s) =>
  parseHourRanges(s) ? undefined : `"${s}" is not a list of hour ranges like "09:00-17:00"`,
).meta({ description: '"HH:MM-HH:MM", several separated by commas.', examples: ['09:00-17:00', '06:00-08:00,20:00-23:00'] });

/** A condition in approval rules: true/false, or a comparison such as "> 10". */
export const Condition = coded(z.union([z.boolean(), z.number(), z.string()]), 'bad-condition', (v) =>
  typeof v === 'boolean' || typeof v === 'number' || parseComparison(v) ? undefined : `"${v}" is not a condition`,
).meta({ examples: [true, '> 10'] });

/** ISO 8601 date or date-time; a date-only value means midnight in the policy's time zone. */
export const DateTimeText = coded(z.string(), 'bad-datetime', (s) =>
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
  !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s.replace(' ', 'T')))
    ? undefined
    : `"${s}" is not an ISO 8601 date or date-time`,
).meta({ examples: ['2025-12-20', '2025-12-20T18:00:00-08:00'] });

/** A secret is never written in git: it is read from the environment or a file at run time. */
export const SecretRef = z
  .strictObject({
    fromEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .meta({ description: 'Name of an environment variable.' }),
    fromFile: z.string().optional().meta({ description: 'Path of a file holding the secret (e.g. a mounted secret).' }),
  })
  .refine((s) => (s.fromEnv === undefined) !== (s.fromFile === undefined), {
    message: 'give exactly one of fromEnv and fromFile',
    params: { code: 'invalid-value' },
  })
  .meta({ description: 'Where to read a secret from.', examples: [{ fromEnv: 'PG_PASSWORD' }] });

/** A value that may be a secret: a reference, or a literal string (flagged by validation). */
export const SecretValue = z.union([SecretRef, z.string()]);

export const Labels = z.record(z.string(), z.string());

/** Fields every kind's metadata may carry. */
export const baseMetadata = {
  name: Name,
  description: z.string().optional(),
  environment: z.string().optional().meta({ description: 'The environment this document is written for; must match its folder.' }),
  labels: Labels.optional(),
  annotations: Labels.optional(),
  created: z.string().optional(),
  createdBy: z.string().optional(),
};

export const envelope = <K extends string>(kind: K) => ({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(kind),
});

/** Where a normalized resource came from, for messages that point back at the file. */
export interface Origin {
  file: string;
  /** The environment-specific file when a common document was overlaid. */
  overlay?: string;
}
