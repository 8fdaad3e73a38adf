import { distance } from 'fastest-levenshtein';

/**
 * Resolve the words a person used for a table ("the bike lanes", "street tree", "transit.routes",
 * "bike lnaes") against the tables the database actually has. Deterministic and conservative:
 * it answers `match` only when exactly one table is the best at the strongest level that finds
 * anything, `ambiguous` when several tie there (the planner then asks; it never guesses), and
 * `none` with up to three near names otherwise.
 *
 * Levels, strongest first; the first level that finds any table decides:
 *   1. exact: `schema.name` or bare `name`, case-insensitive;
 *   2. same words: separators and case ignored ("bike lanes", "Bike-Lanes", "bikelanes", "BikeLanes");
 *   3. same words up to plural ("street tree" ↔ street_trees);
 *   4. the same, with the schema's words counted ("transit routes" ↔ transit.routes);
 *   5. the phrase's words are a subset of the table's ("trees" → street_trees, "lanes" → bike_lanes
 *      and protected_bike_lanes: ambiguous);
 *   6. the table's words are all in the phrase and the phrase's last word (its head noun) is one of
 *      them ("air quality sensors" → air_sensors, but not "park trees" → parks);
 *   7. typo: Levenshtein distance on the normalized form within a length-relative bound;
 *   8. typo per word, as a subset ("lnaes" → *_lanes);
 *   9. the phrase's words all appear in the table's comment ("tax lots" → parcels, whose comment
 *      is "Tax lots from the county assessor").
 *
 * A bare name that exists in several schemas is ambiguous at level 1, even when one of them is
 * `public`: the search_path of the server that publishes the layer need not start with public,
 * and publishing the wrong table is worse than asking.
 */

export interface TableRef {
  schema: string;
  name: string;
}

/** A table as the inspector reports it; the comment, when there is one, helps match by meaning. */
export interface TableCandidate extends TableRef {
  comment?: string | null;
}

/**
 * How a match was made when it was not a match of the same words: the phrase was part of the
 * table's name (`partial`), a misspelling (`typo`), words of its comment (`comment`), or a
 * misspelt schema. The planner says what it assumed ("I took parcles to mean public.parcels").
 */
export type Assumption = 'partial' | 'typo' | 'comment' | 'schema-typo';

export type TableMatch =
  { kind: 'match'; table: TableRef; assumed?: Assumption } | { kind: 'ambiguous'; candidates: TableRef[] } | { kind: 'none'; suggestions: TableRef[] };

/** The schema an unqualified name usually lives in; its name is not a word that identifies a table. */
const DEFAULT_SCHEMA = 'public';

/** At most this many suggestions come with `none`, and only tables closer than this (see closeness). */
const MAX_SUGGESTIONS = 3;
const SUGGESTION_CUTOFF = 0.5;

/** Words that say what kind of thing the phrase is, not which: dropped from the ends of a phrase. */
const LEADING_FILLER = new Set(['the', 'a', 'an', 'our', 'my', 'this', 'that', 'table', 'view']);
const TRAILING_FILLER = new Set(['table', 'tables', 'view', 'views', 'layer', 'layers', 'data', 'dataset']);
/** Words too common to say anything about a comment match. */
const COMMENT_STOPWORDS = new Set(['the', 'a', 'an', 'of', 'and', 'or', 'in', 'on', 'for', 'to', 'with', 'from', 'by', 'at', 'is', 'are']);

interface Prepared {
  ref: TableRef;
  qualified: string;
  nameLower: string;
  nameWords: string[];
  nameStems: string[];
  schemaWords: string[];
  schemaStems: string[];
  commentStems: Set<string>;
}

/** Splits an identifier or phrase into lower-case words: on anything not a letter or digit, and at camelCase humps. */
export function identifierWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * English singular of one word, by the regular rules only (parks → park, cities → city,
 * boxes → box); short words and words ending in ss/us/is are left alone (bus, class, analysis).
 */
export function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The typo allowance for strings of this length (the longer of the two compared): none up to
 * four letters, where one edit turns a word into another word (lane/land), then about a third.
 */
function allowance(length: number): number {
  if (length <= 4) return 0;
  if (length <= 5) return 1;
  return Math.min(3, Math.floor(length / 3));
}

function prepare(t: TableCandidate): Prepared {
  const nameWords = identifierWords(t.name);
  const schemaWords = identifierWords(t.schema);
  return {
    ref: { schema: t.schema, name: t.name },
    qualified: `${t.schema}.${t.name}`.toLowerCase(),
    nameLower: t.name.toLowerCase(),
    nameWords,
    nameStems: nameWords.map(singular),
    schemaWords,
    schemaStems: schemaWords.map(singular),
    commentStems: new Set(identifierWords(t.comment ?? '').map(singular)),
  };
}

/** The phrase without quotes, brackets and the filler words at its ends; `schema` when it is written `schema.name`. */
function parsePhrase(phrase: string): { text: string; schema?: string; name: string } {
  let text = phrase
    .replace(/[`"'‘’“”[\]]/g, '')
    .replace(/\s*\.\s*/g, '.')
    .trim()
    .replace(/[.,;:!?]+$/, '')
    .trim();
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  while (words.length > 1 && LEADING_FILLER.has(words[0]!.toLowerCase())) words.shift();
  while (words.length > 1 && (TRAILING_FILLER.has(words[words.length - 1]!.toLowerCase()) || misspeltKindWord(words[words.length - 1]!))) words.pop();
  text = words.join(' ');
  const qualified = /^([^\s.]+)\.(.+)$/.exec(text);
  if (qualified) return { text, schema: qualified[1]!, name: qualified[2]! };
  return { text, name: text };
}

/** "tabel", "tbale", "layr": a misspelt kind word at the end of a phrase is filler too (never a short word, never an exact table word). */
export const misspeltKindWord = (word: string): boolean => {
  const w = word.toLowerCase();
  const sorted = (x: string): string => [...x].sort().join('');
  // One letter off ("tabe", "layerr"), or the same letters swapped ("tabel", "tbale", "lyaer").
  return w.length >= 4 && ['table', 'layer'].some((k) => w !== k && w[0] === k[0] && (distance(w, k) === 1 || sorted(w) === sorted(k)));
};

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((w, i) => w === b[i]);
const subset = (small: readonly string[], big: readonly string[]): boolean => small.every((w) => big.includes(w));
const byQualifiedName = (a: TableRef, b: TableRef): number => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`);

/** The refs of the tables that share the best (lowest) score; undefined scores do not count. */
function best(tables: readonly Prepared[], score: (t: Prepared) => number | undefined): Prepared[] {
  let min = Infinity;
  let found: Prepared[] = [];
  for (const t of tables) {
    const s = score(t);
    if (s === undefined) continue;
    if (s < min) {
      min = s;
      found = [t];
    } else if (s === min) found.push(t);
  }
  return found;
}

function decide(found: readonly Prepared[], assumed?: Assumption): TableMatch {
  if (found.length === 1) return { kind: 'match', table: found[0]!.ref, ...(assumed ? { assumed } : {}) };
  return { kind: 'ambiguous', candidates: found.map((t) => t.ref).sort(byQualifiedName) };
}

/** Levels 1–9 above over `tables`, for a phrase already split into its name part and words. */
function matchAmong(tables: readonly Prepared[], nameText: string, fullText: string): TableMatch | undefined {
  const lower = nameText.toLowerCase();
  const words = identifierWords(nameText);
  if (words.length === 0) return undefined;
  const stems = words.map(singular);
  const compact = words.join('');
  const stemCompact = stems.join('');

  const levels: Array<(t: Prepared) => number | undefined> = [
    // 1. exact
    (t) => (t.nameLower === lower || t.qualified === fullText.toLowerCase() ? 0 : undefined),
    // 2. same words, separators and case ignored
    (t) => (sameList(t.nameWords, words) || t.nameWords.join('') === compact ? 0 : undefined),
    // 3. same words up to plural
    (t) => (sameList(t.nameStems, stems) || t.nameStems.join('') === stemCompact ? 0 : undefined),
    // 4. schema words + name words
    (t) => (sameList([...t.schemaStems, ...t.nameStems], stems) ? 0 : undefined),
    // 5. the phrase's words within the table's. Words of the default schema alone say nothing
    // ("public" is not a table); a named schema does ("transit" → transit_stops and transit.routes).
    (t) => {
      if (!subset(stems, [...t.schemaStems, ...t.nameStems])) return undefined;
      return stems.some((w) => t.nameStems.includes(w)) || t.ref.schema.toLowerCase() !== DEFAULT_SCHEMA ? 0 : undefined;
    },
    // 6. the table's words within the phrase, the head noun among them
    (t) => (subset(t.nameStems, stems) && t.nameStems.includes(stems[stems.length - 1]!) ? 0 : undefined),
    // 7. typo on the whole normalized form
    (t) => {
      const d = Math.min(
        distance(words.join('_'), t.nameWords.join('_')),
        distance(stemCompact, t.nameStems.join('')),
        distance(stems.join('_'), [...t.schemaStems, ...t.nameStems].join('_')),
      );
      return d <= allowance(Math.max(compact.length, t.nameWords.join('').length)) ? d : undefined;
    },
    // 8. typo per word: every phrase word near some word of the table, one of them in the name
    (t) => {
      const all = [...t.schemaStems, ...t.nameStems];
      let total = 0;
      let inName = false;
      for (const w of stems) {
        const near = (x: string): number => distance(w, x);
        const d = Math.min(...all.map(near));
        if (d > allowance(w.length)) return undefined;
        if (Math.min(...t.nameStems.map(near)) === d) inName = true;
        total += d;
      }
      return inName ? total : undefined;
    },
    // 9. the meaningful words of the phrase, at least two of them, all in the table's comment
    // (one shared word, like "city", is too weak a sign: comments are prose).
    (t) => {
      const meaningful = stems.filter((w) => !COMMENT_STOPWORDS.has(w));
      return meaningful.length >= 2 && meaningful.every((w) => t.commentStems.has(w)) ? 0 : undefined;
    },
  ];

  // Levels 1–4 name the table in other words; from 5 on, the match is an assumption worth saying.
  const assumptions: Array<Assumption | undefined> = [undefined, undefined, undefined, undefined, 'partial', 'partial', 'typo', 'typo', 'comment'];
  for (const [i, level] of levels.entries()) {
    const found = best(tables, level);
    if (found.length > 0) return decide(found, assumptions[i]);
  }
  return undefined;
}

/**
 * How far the phrase is from a table: the edit distance relative to length, less a bonus for
 * shared (or nearly shared) words and for first words that differ only in their endings (people
 * inflect the ends of words: "zones" ~ zoning). Lower is closer.
 */
function closeness(t: Prepared, words: readonly string[]): number {
  const key = words.join('_');
  const nameKey = t.nameWords.join('_');
  const whole = distance(key, nameKey) / Math.max(key.length, nameKey.length, 1);
  const stems = words.map(singular);
  const all = t.ref.schema.toLowerCase() === DEFAULT_SCHEMA ? t.nameStems : [...t.schemaStems, ...t.nameStems];
  const shared = stems.filter((w) => all.some((x) => distance(w, x) <= allowance(w.length))).length;
  // The first words start alike when they share three letters or more and differ only in the last two or so.
  const first = words[0] ?? '';
  const nameFirst = t.nameWords[0] ?? '';
  let prefix = 0;
  while (prefix < first.length && first[prefix] === nameFirst[prefix]) prefix++;
  const alike = prefix >= 3 && prefix >= Math.min(first.length, nameFirst.length) - 2;
  return whole - 0.4 * (stems.length > 0 ? shared / stems.length : 0) - (alike ? 0.2 : 0);
}

/** Up to three tables near the phrase, closest first; a table must be at least loosely similar to be offered. */
function suggestions(tables: readonly Prepared[], text: string): TableRef[] {
  const words = identifierWords(text);
  if (words.length === 0) return [];
  return tables
    .map((t) => ({ t, score: closeness(t, words) }))
    .filter((s) => s.score < SUGGESTION_CUTOFF)
    .sort((a, b) => a.score - b.score || byQualifiedName(a.t.ref, b.t.ref))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.t.ref);
}

export function matchTable(phrase: string, tables: ReadonlyArray<TableCandidate>): TableMatch {
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  for (const t of tables) {
    const p = prepare(t);
    if (seen.has(p.qualified)) continue;
    seen.add(p.qualified);
    prepared.push(p);
  }
  const parsed = parsePhrase(phrase);
  if (prepared.length === 0 || identifierWords(parsed.text).length === 0) return { kind: 'none', suggestions: [] };

  if (parsed.schema !== undefined) {
    // Qualified: the schema is part of what was asked. When it exists, look only there (a table
    // of that name elsewhere is a suggestion, not a match). When it does not, the schema may be a
    // typo ("pubilc.parks"): the name is matched everywhere, and a match stands only if its
    // schema is within typo distance of the one written; otherwise it is offered as a suggestion.
    const schemaKey = identifierWords(parsed.schema).join('_');
    const inSchema = prepared.filter((t) => t.schemaWords.join('_') === schemaKey);
    if (inSchema.length > 0) {
      return matchAmong(inSchema, parsed.name, parsed.text) ?? { kind: 'none', suggestions: suggestions(prepared, parsed.name) };
    }
    const byName = matchAmong(prepared, parsed.name, parsed.name);
    const nearSchema = (t: TableRef): boolean => distance(schemaKey, identifierWords(t.schema).join('_')) <= allowance(schemaKey.length);
    if (byName?.kind === 'match') {
      return nearSchema(byName.table) ? { ...byName, assumed: byName.assumed ?? 'schema-typo' } : { kind: 'none', suggestions: [byName.table] };
    }
    if (byName?.kind === 'ambiguous') {
      const near = byName.candidates.filter(nearSchema);
      if (near.length === 1) return { kind: 'match', table: near[0]!, assumed: 'schema-typo' };
      return near.length > 1 ? { kind: 'ambiguous', candidates: near } : { kind: 'none', suggestions: byName.candidates.slice(0, MAX_SUGGESTIONS) };
    }
    return { kind: 'none', suggestions: suggestions(prepared, parsed.name) };
  }
  return matchAmong(prepared, parsed.text, parsed.text) ?? { kind: 'none', suggestions: suggestions(prepared, parsed.text) };
}
