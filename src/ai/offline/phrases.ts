import { canonicalEnvironment, sortEnvironments } from '../../config/index.js';
import { misspeltKindWord } from './match-table.js';
import { ADD_VERBS, BOUNDARY, DETERMINERS, ENV, GENERIC, GEOMETRY_COLUMN, PUBLISH_VERBS, TRAILING_NOUNS, isEnvWord } from './vocabulary.js';
import { words } from './normalize-request.js';

/**
 * Extracting the pieces of a request the rules need: table phrases (cut at boundary words,
 * articles and kind-nouns removed), schema-qualified names, environments, service and schema
 * clauses.
 */

/** A table phrase from the words of a candidate, cut at the first boundary, articles and kind-nouns removed; undefined when it names nothing. */
export function cleanPhrase(tokens: readonly string[]): string | undefined {
  const ws = [...tokens];
  while (ws.length > 0 && DETERMINERS.has(ws[0]!.toLowerCase())) ws.shift();
  while (ws.length > 0 && (TRAILING_NOUNS.has(ws[ws.length - 1]!.toLowerCase()) || (ws.length > 1 && misspeltKindWord(ws[ws.length - 1]!)))) ws.pop();
  while (ws.length > 0 && DETERMINERS.has(ws[0]!.toLowerCase())) ws.shift();
  if (ws.length === 0) return undefined;
  if (ws.every((w) => GENERIC.has(w.toLowerCase()) || isEnvWord(w) || TRAILING_NOUNS.has(w.toLowerCase()))) return undefined;
  if (!ws.some((w) => /\p{L}/u.test(w))) return undefined;
  return ws.join(' ');
}

/** The noun phrase that starts `rest` (a string of space-separated tokens), up to a boundary word or punctuation. */
function phraseAt(rest: string, maxWords = 6): string | undefined {
  const taken: string[] = [];
  for (const w of words(rest)) {
    const lw = w.toLowerCase();
    // "that" ends a phrase ("parks that …") but may also start one ("publish that table").
    if (/^[^\w$]$/.test(w) || (BOUNDARY.has(lw) && !(taken.length === 0 && DETERMINERS.has(lw)))) break;
    taken.push(w);
    if (taken.length >= maxWords) break;
  }
  return cleanPhrase(taken);
}

/** The noun phrase that ends just before `end` in `s`, read backwards to a boundary, verb or determiner. */
function phraseBefore(s: string, end: number): string | undefined {
  const ws = words(s.slice(0, end));
  const taken: string[] = [];
  for (let i = ws.length - 1; i >= 0 && taken.length < 6; i--) {
    const w = ws[i]!;
    const lw = w.toLowerCase();
    // A kind-noun right before the anchor belongs to the phrase ("the watersheds layer published"); cleanPhrase trims it.
    const kindNoun = taken.length === 0 && TRAILING_NOUNS.has(lw);
    if (!kindNoun && (/^[^\w$]$/.test(w) || BOUNDARY.has(lw) || DETERMINERS.has(lw) || PHRASE_OPENERS.has(lw))) break;
    taken.unshift(w);
  }
  return cleanPhrase(taken);
}

/** Verbs and question words that come before a noun phrase: reading backwards, the phrase starts after them. */
const PHRASE_OPENERS = new Set(
  [
    ...PUBLISH_VERBS,
    ...ADD_VERBS,
    'describe',
    'show',
    'tell',
    'list',
    'index',
    'explain',
    'inspect',
    'want',
    'need',
    'about',
    'what',
    'why',
    'whose',
    'of',
    'see',
    'display',
  ].flatMap((v) => v.split(' ')),
);

/** Every match of `re` (global) in `s`, with the phrase that follows it. */
export function phrasesAfter(s: string, re: RegExp, maxWords?: number): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(re)) {
    const p = phraseAt(s.slice(m.index + m[0].length), maxWords);
    if (p) out.push(p);
  }
  return out;
}

/** Every match of `re` (global) in `s`, with the phrase that precedes it. */
export function phrasesBefore(s: string, re: RegExp): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(re)) {
    const p = phraseBefore(s, m.index);
    if (p) out.push(p);
  }
  return out;
}

/** File-like names that are not schema.table. */
const FILE_EXTENSION = /\.(?:ya?ml|json|sql|csv|geojson|shp|gpkg|md|txt|ts|js|zip|tif|tiff|xml|gml|kml)$/i;

/** Dotted identifiers (schema.table, schema.table.column), in order of appearance. */
export function dottedIdentifiers(s: string): string[][] {
  return words(s)
    .filter((w) => /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*){1,2}$/.test(w) && !FILE_EXTENSION.test(w) && !/^(?:e\.g|i\.e|etc)\b/i.test(w))
    .map((w) => w.split('.'));
}

/** The first qualified table (schema.table) mentioned, when any; for index requests a trailing geometry-like part is a column. */
export function qualifiedTable(s: string, allowColumn: boolean): { table: string; column?: string } | undefined {
  for (const parts of dottedIdentifiers(s)) {
    if (parts.length === 3) return allowColumn ? { table: `${parts[0]}.${parts[1]}`, column: parts[2]! } : { table: `${parts[0]}.${parts[1]}` };
    if (allowColumn && GEOMETRY_COLUMN.test(parts[1]!)) return { table: parts[0]!, column: parts[1]! };
    return { table: parts.join('.') };
  }
  return undefined;
}

/** The first phrase candidate that names something, trying the strategies in order. */
export function firstOf(...candidates: Array<() => string | undefined | readonly string[]>): string | undefined {
  for (const c of candidates) {
    const r = c();
    const first = typeof r === 'string' ? r : r?.[0];
    if (first) return first;
  }
  return undefined;
}

/** Environments named in the text, canonical, in the usual order; with the spans to cut out of the text. */
export function environmentList(s: string): { environments: string[]; rest: string } {
  const list = `(${ENV}(?: ?(?:,|and|&|\\+|/|or|,? and) (?:the )?${ENV})*)`;
  const re = new RegExp(
    `\\b(?:for|in|to|on|into|onto|across|only in|only for|only to|both in|both|in both)(?: the| both)? (?:(?:environments?|envs?) )?${list}(?: (?:environments?|envs?))?(?: only)?\\b`,
    'gi',
  );
  const found: string[] = [];
  let rest = s.replace(re, (_m, names: string) => {
    for (const w of words(names)) if (isEnvWord(w)) found.push(canonicalEnvironment(w));
    return ' , ';
  });
  rest = rest.replace(new RegExp(`\\b${list} only\\b`, 'gi'), (_m, names: string) => {
    for (const w of words(names)) if (isEnvWord(w)) found.push(canonicalEnvironment(w));
    return ' , ';
  });
  rest = rest.replace(/\( ((?:\w+ ?(?:,|and|&|\/|\+)? ?)+)\)/g, (m, inner: string) => {
    const ws = words(inner).filter((w) => /\w/.test(w) && w.toLowerCase() !== 'and');
    if (ws.length === 0 || !ws.every(isEnvWord)) return m;
    found.push(...ws.map(canonicalEnvironment));
    return ' , ';
  });
  rest = rest.replace(/\b(?:in|to|for|across|on) (?:all|every|each) (?:the |of the )?(?:environments?|envs?)\b|\beverywhere\b/gi, ' , ');
  return { environments: sortEnvironments(new Set(found)), rest: rest.replace(/\s+/g, ' ').trim() };
}

/** The first environment named anywhere ("prod", "the qa environment"), canonical. */
export function anyEnvironment(s: string): string | undefined {
  const alias = new RegExp(`\\b${ENV}\\b`, 'i').exec(s);
  if (alias) return canonicalEnvironment(alias[0]);
  const named = /\b(?:environment|env) (?:called |named )?([\w-]+)|\b([\w-]+) (?:environment|env)\b/i.exec(s);
  const name = named?.[1] ?? named?.[2];
  if (name && !GENERIC.has(name.toLowerCase()) && !['each', 'every', 'which', 'an', 'any', 'some', 'this', 'that', 'target'].includes(name.toLowerCase())) {
    return canonicalEnvironment(name);
  }
  return undefined;
}

/** "in/to/under the X service": the service name as a slug, and the text without that clause. */
export function serviceClause(s: string): { service?: string; rest: string } {
  let service: string | undefined;
  const cut = (name: string): string => {
    const ws = words(name).filter((w) => !DETERMINERS.has(w.toLowerCase()));
    if (ws.length > 0 && !ws.every((w) => /^(?:ogc|api|features?|web|map|wfs|wms|rest|feature)$/i.test(w))) service ??= ws.join('-').toLowerCase();
    return ' , ';
  };
  let rest = s.replace(
    /\b(?:in|to|under|into|within|on|for|inside|as part of|part of) (?:the |our |a |an )?((?:[\w$-]+ ){0,2}?[\w$-]+) (?:service|svc)\b/gi,
    (_m, name: string) => cut(name),
  );
  rest = rest.replace(/\b(?:in|to|under|into|within|for) (?:the )?(?:service|svc) (?:called |named )?([\w$-]+)\b/gi, (_m, name: string) => cut(name));
  if (service === undefined) rest = rest.replace(/\bthe ([\w$-]+) (?:service|svc)\b/gi, (_m, name: string) => cut(name));
  return { ...(service !== undefined ? { service } : {}), rest: rest.replace(/\s+/g, ' ').trim() };
}

/**
 * "… in planning", "… under transportation", "… into the parks dept": a closing place phrase
 * that may name the service without the word "service". Only a hint — the planner keeps it when
 * a service of that name exists — and never a word of the table phrase, an environment or a
 * word that names no service (the map, the API, the database).
 */
export function trailingServiceHint(s: string, table: string | undefined): string | undefined {
  const m = /\b(?:in|under|into|within|inside) (?:the |our )?([a-z][\w-]*(?: [a-z][\w-]*)?)\s*[.!]*\s*$/i.exec(s.replace(/\s*,\s*$/, ''));
  const phrase = m?.[1]?.toLowerCase();
  if (!phrase) return undefined;
  const ws = phrase.split(' ').filter((w) => !DETERMINERS.has(w));
  if (
    ws.length === 0 ||
    ws.some((w) => isEnvWord(w) || GENERIC.has(w) || /^(?:ogc|api|map|wfs|wms|catalog|repo|repository|git|branch|production|development|staging)$/.test(w))
  )
    return undefined;
  if (
    table !== undefined &&
    ws.some((w) =>
      table
        .toLowerCase()
        .split(/[\s._-]+/)
        .includes(w),
    )
  )
    return undefined;
  return ws.join('-');
}

/** "from/in the X schema": the schema, and the text without that clause. */
export function schemaClause(s: string): { schema?: string; rest: string } {
  let schema: string | undefined;
  const rest = s.replace(/\b(?:from|in|of|under|within) (?:the )?([A-Za-z_][\w$]*) schema\b/gi, (m, name: string) => {
    if (GENERIC.has(name.toLowerCase()) && name.toLowerCase() !== 'public') return m;
    schema ??= name;
    return ' , ';
  });
  return { ...(schema !== undefined ? { schema } : {}), rest };
}

/** Qualifies a bare phrase with the schema named elsewhere in the request. */
export const withSchema = (table: string | undefined, schema: string | undefined): string | undefined =>
  table !== undefined && schema !== undefined && !table.includes('.') ? `${schema}.${table}` : table;

export const verbPattern = (verbs: readonly string[]): string => `(?:${[...verbs].sort((a, b) => b.length - a.length).join('|')})`;
