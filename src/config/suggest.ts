import { closest, distance } from 'fastest-levenshtein';

/**
 * "Did you mean": one rule for how far a typo may be from the name meant, used by every
 * suggestion Honua makes (names in the configuration, environments, tables, commands). To
 * suggest, a name may be off by a third of its length (at least 2 edits); to act on a guess
 * without asking (the offline planner's assumptions) only by a quarter. Case never counts.
 */
export type Nearness = 'suggest' | 'assume';

export const typoAllowance = (length: number, nearness: Nearness = 'suggest'): number => Math.max(2, Math.floor(length / (nearness === 'assume' ? 4 : 3)));

/** Whether `typed` is near enough to `name` to be a typo of it. */
export const isNear = (typed: string, name: string, nearness: Nearness = 'suggest'): boolean =>
  distance(typed.toLowerCase(), name.toLowerCase()) <= typoAllowance(name.length, nearness);

/** The names near `typed`, nearest first (ties by name), at most `limit`. */
export function nearNames(typed: string, names: readonly string[], limit = 3): string[] {
  const lower = typed.toLowerCase();
  return names
    .map((name) => ({ name, d: distance(lower, name.toLowerCase()) }))
    .filter((x) => x.d <= typoAllowance(Math.max(x.name.length, typed.length)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((x) => x.name);
}

/** Suggests the closest of `candidates` when it is near enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = word.toLowerCase();
  const ci = candidates.find((c) => c.toLowerCase() === lower);
  if (ci) return ci;
  const best = closest(word, [...candidates]);
  return isNear(word, best) ? best : undefined;
}
