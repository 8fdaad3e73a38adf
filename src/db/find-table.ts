import { distance } from 'fastest-levenshtein';
import { typoAllowance } from '../config/index.js';
import { HonuaError } from '../errors/index.js';
import type { TableInfo } from './inspection-format.js';

/**
 * One table by name among those inspected: `name` or `schema.name`, exact first, then ignoring
 * case. Several matches (the same name in two schemas) or none are errors that name the
 * candidates, or the nearest names (by edit distance), so a typo is one retry away. Pure.
 */
export function findTable(all: readonly TableInfo[], name: string, schema?: string): TableInfo {
  const dot = name.indexOf('.');
  const wantedSchema = schema ?? (dot > 0 ? name.slice(0, dot) : undefined);
  const wantedName = dot > 0 && schema === undefined ? name.slice(dot + 1) : name;
  const hits = all.filter((t) => t.name === wantedName && (wantedSchema === undefined || t.schema === wantedSchema));
  const ci =
    hits.length > 0
      ? hits
      : all.filter(
          (t) => t.name.toLowerCase() === wantedName.toLowerCase() && (wantedSchema === undefined || t.schema.toLowerCase() === wantedSchema.toLowerCase()),
        );
  if (ci.length === 1) return ci[0] as TableInfo;
  const qualified = (t: TableInfo): string => `${t.schema}.${t.name}`;
  if (ci.length > 1) {
    throw new HonuaError('ambiguous-table', `"${name}" names a table in several schemas: ${ci.map(qualified).join(', ')}`, {
      hint: 'Qualify it with its schema.',
      fault: 'user',
      data: { candidates: ci.map(qualified) },
    });
  }
  const wanted = (wantedSchema ? `${wantedSchema}.${wantedName}` : wantedName).toLowerCase();
  const near = all
    .map((t) => ({ t, d: Math.min(distance(wanted, qualified(t).toLowerCase()), wantedSchema ? Infinity : distance(wanted, t.name.toLowerCase())) }))
    .filter((x) => x.d <= typoAllowance(wanted.length))
    .sort((a, b) => a.d - b.d || qualified(a.t).localeCompare(qualified(b.t)))
    .slice(0, 3)
    .map((x) => qualified(x.t));
  throw new HonuaError('unknown-table', `the database has no table or view "${name}"`, {
    hint:
      near.length > 0
        ? `Did you mean ${near.join(' or ')}? (honua db inspect lists them all)`
        : all.length > 0
          ? 'honua db inspect lists the tables there are.'
          : 'The database has no tables yet.',
    fault: 'user',
    data: { suggestions: near },
  });
}
