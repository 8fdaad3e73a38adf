import { UsageError } from '../errors/index.js';

/**
 * Option parsing shared by the `honua` commands: times (`--at`, `--last-deployment`) and lists
 * (`-e dev,staging -e production`). What the options mean is the engine's business.
 */

/** Parses --at: an ISO 8601 time (with a zone; a time without one is read as UTC), as an ISO string. */
export function parseAt(text: string | undefined, name = '--at'): string | undefined {
  if (text === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text.trim());
  const withZone = iso && !iso[1] && text.length > 10 ? `${text.trim()}Z` : text.trim();
  const t = iso ? Date.parse(withZone.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new UsageError('bad-time', `${name} "${text}" is not an ISO 8601 time`, { hint: 'Write e.g. 2025-11-04T10:30:00-08:00 or 2025-11-04T18:30:00Z.' });
  }
  return new Date(t).toISOString();
}

/** `-e dev,staging -e production` → ['dev', 'staging', 'production']. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
