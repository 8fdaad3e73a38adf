import { distance } from 'fastest-levenshtein';
import { canonicalEnvironment, sortEnvironments } from '../../config/index.js';
import type { Intent } from './intent.js';
import { misspeltKindWord } from './match-table.js';

/**
 * Free text → Intent, without a model. Pure and deterministic: the same text always gives the
 * same intent. The request is first normalized (quotes, contractions, politeness and "we need
 * to"-style preambles removed, punctuation split into tokens), then an ordered table of rules is
 * tried; the first rule that claims the request decides it. Each rule pairs a recognizer with
 * extractors for the pieces it needs (table phrase, service, environments, refs), so new
 * phrasings are usually a word added to a list, not a new regular expression.
 *
 * Order matters and states the safety contract: requests to approve, roll back, delete or deploy
 * come first and are always `unknown` (with the reason), whatever else they mention, so those
 * requests never become an actionable intent. Index requests come before add-layer so "add a
 * spatial index to parcels" is never read as publishing parcels. Read-only questions follow.
 *
 * Table phrases are returned as the user wrote them, minus articles and filler ("the bike lanes
 * table" → "bike lanes"); matchTable resolves them against the inspected schema. A
 * schema-qualified identifier (public.bike_lanes) anywhere in the request wins over wording.
 */

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Environment names and aliases understood in requests; canonicalEnvironment normalizes them. */
const ENV_WORDS = ['dev', 'develop', 'development', 'stage', 'stg', 'staging', 'prod', 'prd', 'production', 'qa', 'uat', 'preprod', 'sandbox'];
const ENV = `(?:${ENV_WORDS.join('|')})`;
const isEnvWord = (w: string): boolean => ENV_WORDS.includes(w.toLowerCase());

/** Words that end a noun phrase: prepositions, conjunctions, relative pronouns, auxiliaries. */
const BOUNDARY = new Set([
  'as', 'through', 'via', 'using', 'over', 'with', 'which', 'that', 'so', 'because', 'to', 'into', 'onto', 'in', 'under',
  'on', 'for', 'from', 'and', 'or', 'but', 'then', 'if', 'when', 'where', 'is', 'are', 'was', 'were', 'has', 'have', 'had',
  'should', 'would', 'could', 'can', 'will', 'must', 'it', 'by', 'at', 'available', 'visible', 'accessible',
  'published', 'exposed', 'served', 'online', 'please', 'too', 'also', 'thanks', 'do', 'does', 'did', 'look',
  'looks', 'queries', 'query', 'lookups', 'searches', 'requests', 'called', 'named', 'like', 'within', 'inside', 'against',
  'faster', 'quicker', 'slow', 'slower', 'really', 'very', 'contain', 'contains', 'hold', 'holds', 'store', 'stores', 'need',
  'needs', 'lack', 'lacks', 'got', 'yet', 'already', 'load', 'loads', 'loading', 'render', 'renders', 'rendering', 'draw',
  'draws', 'takes', 'take', 'indexed', 'empty', 'partitioned', 'valid',
]);

/** Words dropped from the front of a table phrase. */
const DETERMINERS = new Set([
  'the', 'a', 'an', 'our', 'my', 'your', 'their', 'this', 'that', 'these', 'those', 'some', 'new', 'existing', 'entire',
  'whole', 'all', 'its', 'me', 'us', 'another', 'same', 'current', 'table', 'view', 'layer', 'dataset',
]);

/** Words dropped from the end of a table phrase: they say what kind of thing it is, not which. */
const TRAILING_NOUNS = new Set([
  'table', 'tables', 'view', 'views', 'data', 'dataset', 'datasets', 'layer', 'layers', 'features', 'feature', 'info',
  'information', 'records', 'rows', 'collection', 'stuff', 'geometry', 'geometries', 'geom', 'map', 'columns', 'fields',
  'schema', 'structure', 'public',
]);

/** A phrase made only of these does not name a table ("the data", "our PostGIS database", "it"). */
const GENERIC = new Set([
  'it', 'them', 'this', 'that', 'one', 'something', 'anything', 'everything', 'data', 'table', 'tables', 'layer', 'layers',
  'database', 'databases', 'db', 'schema', 'schemas', 'geometry', 'geom', 'column', 'columns', 'postgis', 'postgres',
  'postgresql', 'ogc', 'api', 'new', 'map', 'me', 'us', 'public', 'spatial', 'index', 'gist', 'config', 'configuration',
  'server', 'source', 'sources', 'here', 'there', 'what', 'which', 'all', 'stuff', 'field', 'fields', 'of', 'environment',
  'environments', 'env', 'envs', 'service', 'services', 'a', 'the', 'our', 'my', 'you', 'honua', 'whole', 'entire', 'sql',
  'we', 'i', 'have', 'got', 'available', 'queries', 'query',
]);

/**
 * Objects of add/create/make that are not tables to publish: adding one of these is a change
 * the offline planner does not make (schema changes need a migration, environments and services
 * are configuration of their own).
 */
const NOT_PUBLISHABLE = new Set([
  'column', 'field', 'attribute', 'index', 'migration', 'user', 'role', 'approver', 'policy', 'environment', 'env', 'service',
  'datasource', 'connection', 'backup', 'comment', 'description', 'title', 'constraint', 'key', 'trigger', 'schema', 'database',
  'plan', 'deployment', 'branch', 'poem', 'story', 'joke', 'song', 'summary', 'report', 'alert', 'notification', 'webhook',
  'check', 'test', 'permission', 'grant', 'password', 'secret', 'rule', 'window', 'extension', 'sequence', 'function', 'email',
]);

/** Verbs that mean "publish" on their own: "publish parks", "expose the zoning table". */
const PUBLISH_VERBS = ['publish', 'expose', 'serve', 'share', 'host', 'offer', 'surface'];
/** Verbs that mean "publish" when the request is about layers, tables or data: "add parks", "create a layer from X". */
const ADD_VERBS = ['add', 'create', 'make', 'register', 'set up', 'setup', 'configure', 'put', 'include', 'bring in', 'bring', 'pull in', 'load', 'get', 'onboard', 'wire up', 'hook up', 'turn'];
/** Context words that make a weak add verb about publishing. */
const LAYER_CONTEXT = /\b(?:layers?|tables?|views?|data|datasets?|ogc|api|features?|wfs|wms|maps?|service|collections?|postgis|geometry|geojson)\b/i;

const SLOW = /\b(?:slow|slowly|sluggish|laggy|lag|lags|speed up|faster|takes forever|timing out|times out|performance|perf)\b/i;
const INDEX_WORD = /\b(?:index|indexes|indices|indexed|indexing)\b/i;
const SPATIAL_WORD = /\b(?:spatial|gist|spgist|sp-gist|brin|geometry|geometries|geom|geography|geospatial|bbox|bounding)\b/i;
const GEOMETRY_COLUMN = /^(?:geom|the_geom|geometry|geog|geography|shape|wkb_geometry|location|point|pt|coords?|position|footprint|boundary|centroid|\w+_geom|geom_\w+|\w+_geog|\w+_point|\w+_location|\w+_shape)$/i;
/** Column words that mean "its geometry column", not a column with that name. */
const GENERIC_COLUMN = new Set(['geometry', 'spatial', 'geo', 'geographic', 'the', 'a', 'its', 'that', 'this']);

// ---------------------------------------------------------------------------------------------
// Normalizing the request

/** A request as the rules see it. */
export interface NormalizedRequest {
  /** Tokens joined by single spaces (punctuation is its own token), politeness and preambles removed, case kept. */
  s: string;
  /** The same before politeness and preambles were removed (greetings, "can we…?" questions, approvals). */
  before: string;
}

const words = (s: string): string[] => s.split(' ').filter((w) => w.length > 0);

/** Undo contractions and possessives, so "what's" and "what is" are one phrasing. */
function expandContractions(text: string): string {
  return text
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/[–—]/g, ' - ')
    .replace(/\bcan't\b/gi, 'can not')
    .replace(/\bwon't\b/gi, 'will not')
    .replace(/\b(\w+)n't\b/gi, '$1 not')
    .replace(/\blet's\b/gi, 'let us')
    .replace(/\b(what|that|it|there|where|who|how|here|which)'s\b/gi, '$1 is')
    .replace(/'re\b/gi, ' are')
    .replace(/'ve\b/gi, ' have')
    .replace(/'d\b/gi, ' would')
    .replace(/'m\b/gi, ' am')
    .replace(/'ll\b/gi, ' will')
    .replace(/(\w)'s\b/g, '$1')
    .replace(/(\w)s'(?=\s|$)/g, '$1s');
}

/** Split into tokens: identifiers (with . _ - / ~ ^ inside, for schema.table and git refs) and single punctuation marks. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.match(/[\w$](?:[\w$.~^/@{}-]*[\w$~^}])?|[^\s\w]/g) ?? []) {
    // "dev/staging" is a list of environments, not a ref.
    if (tok.includes('/') && tok.split('/').every(isEnvWord)) {
      tok.split('/').forEach((part, i) => out.push(...(i > 0 ? ['/', part] : [part])));
    } else out.push(tok);
  }
  return out;
}

/** Preambles and politeness that carry no intent; removed at the start of a clause (or anywhere for please/thanks). */
const FILLER_ANYWHERE = /\b(?:please|pls|plz|kindly|thanks|thank you|thx|cheers|just|quickly|for me|for us)\b/gi;
const CLAUSE_START = '(^|[.,;!?:] )';
const FILLER_AT_CLAUSE_START = [
  new RegExp(`${CLAUSE_START}(?:hey|hi|hello|ok|okay|so|um|uh|well|alright|honua|consultant)( ,| !)? `, 'gi'),
  new RegExp(`${CLAUSE_START}(?:could|can|would|will) (?:you|we|u|i) (?:please )?(?:also )?`, 'gi'),
  new RegExp(`${CLAUSE_START}(?:i|we) (?:would like|would love|want|wanna|need|have|plan|am planning|are planning|am trying|are trying|am going|are going|am looking|are looking|am hoping|are hoping|hope) (?:you )?to `, 'gi'),
  new RegExp(`${CLAUSE_START}(?:i|we) (?:would like|want|need) you to `, 'gi'),
  new RegExp(`${CLAUSE_START}(?:is it possible|is there a way|how do i|how do we|how can i|how can we) to `, 'gi'),
  new RegExp(`${CLAUSE_START}(?:let us|go ahead and|help me|help us|time to|i think we should|we should|you should|should we|we must|let me) `, 'gi'),
];

/** Quotes, contractions and politeness out; tokens separated by single spaces. */
export function normalizeRequest(raw: string): NormalizedRequest {
  const expanded = expandContractions(raw)
    .replace(/["'`]\s*\.\s*["'`]/g, '.') // "transit"."routes" → transit.routes
    .replace(/["'`]/g, ' ');
  const before = tokenize(expanded).join(' ');
  let s = before;
  for (let changed = true; changed; ) {
    const prev = s;
    s = s.replace(FILLER_ANYWHERE, ' ');
    for (const re of FILLER_AT_CLAUSE_START) s = s.replace(re, '$1');
    s = s.replace(/\s+/g, ' ').trim();
    changed = s !== prev;
  }
  s = s.replace(/^(?:[,.;:!] )+/, '').replace(/( [,.;:!])+$/, '').trim();
  return { s, before };
}

// ---------------------------------------------------------------------------------------------
// Extractors

/** A table phrase from the words of a candidate, cut at the first boundary, articles and kind-nouns removed; undefined when it names nothing. */
function cleanPhrase(tokens: readonly string[]): string | undefined {
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
  [...PUBLISH_VERBS, ...ADD_VERBS, 'describe', 'show', 'tell', 'list', 'index', 'explain', 'inspect', 'want', 'need', 'about', 'what', 'why', 'whose', 'of', 'see', 'display']
    .flatMap((v) => v.split(' ')),
);

/** Every match of `re` (global) in `s`, with the phrase that follows it. */
function phrasesAfter(s: string, re: RegExp, maxWords?: number): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(re)) {
    const p = phraseAt(s.slice(m.index + m[0].length), maxWords);
    if (p) out.push(p);
  }
  return out;
}

/** Every match of `re` (global) in `s`, with the phrase that precedes it. */
function phrasesBefore(s: string, re: RegExp): string[] {
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
function dottedIdentifiers(s: string): string[][] {
  return words(s)
    .filter((w) => /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*){1,2}$/.test(w) && !FILE_EXTENSION.test(w) && !/^(?:e\.g|i\.e|etc)\b/i.test(w))
    .map((w) => w.split('.'));
}

/** The first qualified table (schema.table) mentioned, when any; for index requests a trailing geometry-like part is a column. */
function qualifiedTable(s: string, allowColumn: boolean): { table: string; column?: string } | undefined {
  for (const parts of dottedIdentifiers(s)) {
    if (parts.length === 3) return allowColumn ? { table: `${parts[0]}.${parts[1]}`, column: parts[2]! } : { table: `${parts[0]}.${parts[1]}` };
    if (allowColumn && GEOMETRY_COLUMN.test(parts[1]!)) return { table: parts[0]!, column: parts[1]! };
    return { table: parts.join('.') };
  }
  return undefined;
}

/** The first phrase candidate that names something, trying the strategies in order. */
function firstOf(...candidates: Array<() => string | undefined | readonly string[]>): string | undefined {
  for (const c of candidates) {
    const r = c();
    const first = typeof r === 'string' ? r : r?.[0];
    if (first) return first;
  }
  return undefined;
}

/** Environments named in the text, canonical, in the usual order; with the spans to cut out of the text. */
function environmentList(s: string): { environments: string[]; rest: string } {
  const list = `(${ENV}(?: ?(?:,|and|&|\\+|/|or|,? and) (?:the )?${ENV})*)`;
  const re = new RegExp(`\\b(?:for|in|to|on|into|onto|across|only in|only for|only to|both in|both|in both)(?: the| both)? (?:(?:environments?|envs?) )?${list}(?: (?:environments?|envs?))?(?: only)?\\b`, 'gi');
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
function anyEnvironment(s: string): string | undefined {
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
function serviceClause(s: string): { service?: string; rest: string } {
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
function trailingServiceHint(s: string, table: string | undefined): string | undefined {
  const m = /\b(?:in|under|into|within|inside) (?:the |our )?([a-z][\w-]*(?: [a-z][\w-]*)?)\s*[.!]*\s*$/i.exec(s.replace(/\s*,\s*$/, ''));
  const phrase = m?.[1]?.toLowerCase();
  if (!phrase) return undefined;
  const ws = phrase.split(' ').filter((w) => !DETERMINERS.has(w));
  if (ws.length === 0 || ws.some((w) => isEnvWord(w) || GENERIC.has(w) || /^(?:ogc|api|map|wfs|wms|catalog|repo|repository|git|branch|production|development|staging)$/.test(w))) return undefined;
  if (table !== undefined && ws.some((w) => table.toLowerCase().split(/[\s._-]+/).includes(w))) return undefined;
  return ws.join('-');
}

/** "from/in the X schema": the schema, and the text without that clause. */
function schemaClause(s: string): { schema?: string; rest: string } {
  let schema: string | undefined;
  const rest = s.replace(/\b(?:from|in|of|under|within) (?:the )?([A-Za-z_][\w$]*) schema\b/gi, (m, name: string) => {
    if (GENERIC.has(name.toLowerCase()) && name.toLowerCase() !== 'public') return m;
    schema ??= name;
    return ' , ';
  });
  return { ...(schema !== undefined ? { schema } : {}), rest };
}

/** Qualifies a bare phrase with the schema named elsewhere in the request. */
const withSchema = (table: string | undefined, schema: string | undefined): string | undefined =>
  table !== undefined && schema !== undefined && !table.includes('.') ? `${schema}.${table}` : table;

const verbPattern = (verbs: readonly string[]): string => `(?:${[...verbs].sort((a, b) => b.length - a.length).join('|')})`;

// ---------------------------------------------------------------------------------------------
// Rules

/** One row of the rule table: a name (for reading and tests) and a recognizer that claims a request or passes. */
export interface IntentRule {
  name: string;
  match(t: NormalizedRequest): Intent | undefined;
}

const unknown = (reason: string): Intent => ({ kind: 'unknown', reason });

const HYPOTHETICAL = /\b(?:would|will|if|happen|happens|plan|preview|dry[- ]?run|before)\b/i;
const QUESTION_START = /^(?:which|what|does|do|is|are|list|show|how many|where|why|who|did|has|have|can|could)\b/i;
const ACTION_VERB = /\b(?:add|create|build|make|need|want|set up|setup|put|fix|speed up|generate|write|give)\b/i;

/** Approval words, and near misses of them ("aprove", "approvel"): approving is never the consultant's to do. */
const APPROVAL = /\b(?:approv(?:e|es|ed|ing|al|als)|authori[sz](?:e|es|ed|ing|ation)|sign[- ]?off|sign off|lgtm|green[- ]?light|rubber[- ]?stamp)\b/i;
const mentionsApproval = (text: string): boolean =>
  APPROVAL.test(text) || words(text.toLowerCase()).some((w) => w.length >= 6 && ['approve', 'approval', 'approved'].some((a) => distance(w, a) <= 1));

const refuseApprove: IntentRule = {
  name: 'refuse-approve',
  match: (t) => (mentionsApproval(t.before) ? unknown('approvals are given by a person the deployment policy names; the consultant never approves a deployment') : undefined),
};

const refuseRollback: IntentRule = {
  name: 'refuse-rollback',
  match: (t) =>
    /\b(?:roll(?:ing|ed)? ?back|rollbacks?|revert|reverting|undo|restore)\b/i.test(t.s)
      ? unknown('rolling back is an operator action; the offline planner does not do it')
      : undefined,
};

const refuseDestructive: IntentRule = {
  name: 'refuse-destructive',
  match: (t) =>
    /\b(?:delete|drop|remove|destroy|truncate|wipe|purge|erase|nuke|unpublish|get rid of|take down|tear down|reset|disable|deprecate|retire|rename)\b/i.test(t.s)
      ? unknown('removing or renaming layers, tables or data is not something the offline planner does; edit the configuration and review the plan')
      : undefined,
};

const refuseDeploy: IntentRule = {
  name: 'refuse-deploy',
  match: (t) => {
    // The verb as a command (at the start of a clause, or after "and"/"then"/"to"), not the noun in "since the last deploy".
    if (!/(?:^|[,.;:!?] |\b(?:and|then|to|now|also) )(?:deploy|promote|release|ship|apply|push|roll ?out|merge|go live)\b/i.test(t.s) || HYPOTHETICAL.test(t.s)) return undefined;
    const env = anyEnvironment(t.s);
    return unknown(`deploying and merging are operator actions that need approval; ask for a plan instead ("plan ${env ?? '<environment>'}")`);
  },
};

const addSpatialIndex: IntentRule = {
  name: 'add-spatial-index',
  match: (t) => {
    const { s } = t;
    const indexRequest = INDEX_WORD.test(s) && (SPATIAL_WORD.test(s) || INDEX_WORD.test(words(s)[0] ?? '') || ACTION_VERB.test(s));
    const slowRequest = SLOW.test(s) && !INDEX_WORD.test(s);
    if (!indexRequest && !slowRequest) return undefined;
    // A question about indexes ("does parcels have a spatial index?") is a description, not a change.
    if (indexRequest && QUESTION_START.test(s) && !ACTION_VERB.test(s)) return undefined;

    let column: string | undefined;
    let rest = s;
    const keepColumn = (c: string): void => {
      if (!GENERIC_COLUMN.has(c.toLowerCase())) column ??= c;
    };
    rest = rest.replace(/\b(?:on|using|for|to|of) (?:the |its |a )?([\w$]+) (?:column|field|col)\b/gi, (_m, c: string) => (keepColumn(c), ' , '));
    rest = rest.replace(/\b(?:column|field|col) (?:called |named )?([\w$]+)\b/gi, (m, c: string) =>
      GENERIC.has(c.toLowerCase()) || BOUNDARY.has(c.toLowerCase()) ? m : (keepColumn(c), ' , '),
    );
    // "index on geom": a geometry-shaped word after the index is its column, not the table.
    rest = rest.replace(/\b(index (?:on|using|over|for)) (?:the )?([\w$]+)\b/gi, (m, head: string, c: string) =>
      GEOMETRY_COLUMN.test(c) ? (keepColumn(c), `${head} , `) : m,
    );
    const { schema, rest: noSchema } = schemaClause(rest);
    rest = noSchema;
    let table: string | undefined;
    const call = /\b([A-Za-z_][\w$.]*) \( ([\w$]+) \)/.exec(rest);
    const qualified = qualifiedTable(rest, true);
    if (call) {
      table = call[1];
      keepColumn(call[2]!);
    } else if (qualified) {
      table = qualified.table;
      if (qualified.column) keepColumn(qualified.column);
    } else {
      // The subject of a complaint ("the rivers map takes forever to load") comes before any "to …".
      const subject = (): string | undefined =>
        firstOf(() => phrasesBefore(rest, /\b(?:queries|query|lookups|searches|requests|reads|layer|map|tiles) (?:are|is|run|runs|load|loads|feel|feels|seem|seems|get|got|take|takes|have|has)\b/gi));
      table = firstOf(
        () => phrasesBefore(rest, /\btables?\b/gi),
        () => phrasesAfter(rest, /\btable (?:called |named )?/gi, 3),
        () => (indexRequest ? undefined : subject()),
        () => phrasesAfter(rest, /\b(?:to|on|for|of|onto|in) /gi),
        subject,
        () => phrasesBefore(rest, /\b(?:queries|query|lookups|searches|requests|reads|tiles)\b/gi),
        () => phrasesAfter(rest, /\bindex /gi),
        () => phrasesBefore(rest, /\b(?:needs?|requires?|wants?|could use|should have|has no|have no|lacks?|is missing|are missing)\b/gi),
        () => phrasesBefore(rest, /\b(?:is|are|loads?|runs?) (?:really |very |so |too |super |pretty )?(?:slow|sluggish|laggy)\b/gi),
        () => phrasesAfter(rest, /\b(?:speed up|faster|make|optimi[sz]e|tune|improve) /gi),
      );
    }
    table = withSchema(table, schema);
    if (!indexRequest && table === undefined) return undefined;
    // An index on an ordinary column ("create index on parcels(apn)") is not a spatial index: a migration the planner does not write.
    if (column !== undefined && !GEOMETRY_COLUMN.test(column) && !SPATIAL_WORD.test(s)) {
      return unknown(`an index on ${column} is not a spatial index; it is a schema change that needs a migration, which the offline planner does not write`);
    }
    return { kind: 'add-spatial-index', ...(table !== undefined ? { table } : {}), ...(column !== undefined ? { column } : {}) };
  },
};

const ADD_VERB_RE = new RegExp(`\\b${verbPattern(ADD_VERBS)}\\b`, 'i');
const PUBLISH_VERB_RE = new RegExp(`\\b${verbPattern(PUBLISH_VERBS)}(?:ed|d)?\\b`, 'i');

/** The object of the first add/publish verb: "add bike lanes data from…" → "bike lanes data" (raw, for the not-publishable check). */
function verbObject(s: string): { raw: string[]; phrase?: string } | undefined {
  const m = new RegExp(`\\b${verbPattern([...PUBLISH_VERBS, ...ADD_VERBS])}\\b(?: (?:in|up|out|on))?`, 'i').exec(s);
  if (!m) return undefined;
  const rest = s.slice(m.index + m[0].length);
  const raw: string[] = [];
  for (const w of words(rest)) {
    const lw = w.toLowerCase();
    if (/^[^\w$]$/.test(w) || BOUNDARY.has(lw)) break;
    raw.push(w);
    if (raw.length >= 6) break;
  }
  const phrase = cleanPhrase(raw);
  return phrase !== undefined ? { raw, phrase } : { raw };
}

/** The object of the add verb when it is something other than a table to publish (a column, a user, a poem); undefined otherwise. */
function notPublishable(raw: readonly string[]): string | undefined {
  const content = raw.filter((w) => !DETERMINERS.has(w.toLowerCase()) || /^(?:table|view)$/i.test(w));
  const last = content[content.length - 1]?.toLowerCase();
  if (last === undefined) return undefined;
  for (const form of [last, last.replace(/es$/, ''), last.replace(/s$/, '')]) if (NOT_PUBLISHABLE.has(form)) return form;
  // "create a table" (with nothing after it naming an existing one) is a schema change.
  return content.length === 1 && /^(?:table|tables|view|views)$/.test(last) ? 'table' : undefined;
}

const withArticle = (noun: string): string => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/** Why adding a thing that is not a table to publish is refused. */
function notPublishableReason(noun: string): string {
  if (['column', 'field', 'attribute', 'index', 'constraint', 'key', 'trigger', 'table', 'sequence', 'function', 'extension'].includes(noun)) {
    return `adding ${withArticle(noun)} is a schema change: it needs a migration, which the offline planner does not write`;
  }
  if (['environment', 'env', 'service', 'datasource', 'connection', 'policy', 'approver', 'user', 'role', 'rule', 'window'].includes(noun)) {
    return `adding ${withArticle(noun)} is not something the offline planner does; it adds layers for existing tables`;
  }
  return `the offline planner adds layers for existing tables; ${withArticle(noun)} is not one`;
}

const addLayer: IntentRule = {
  name: 'add-layer',
  match: (t) => {
    // A wh-question about publishing ("what layers could I publish?") asks for information, not a change.
    if (/^(?:what|which|how many|where|why|who|when|list|show)\b/i.test(t.s)) return undefined;
    const strong = PUBLISH_VERB_RE.test(t.s);
    const weak = ADD_VERB_RE.test(t.s);
    const layerAsked =
      /\b(?:new|another) layers?\b|\blayers? (?:for|from|of|out of|based on|showing|with|using)\b|\bas (?:an? )?(?:new )?(?:layer|collection|feature service|ogc|wfs|wms|api|features?)\b/i.test(t.s) ||
      /\b(?:available|accessible|visible|online)\b.*\b(?:as|through|via|over|in|on|to)\b (?:the )?(?:ogc|wfs|wms|api|map|layer)/i.test(t.s) ||
      /\b(?:through|via|over) (?:the )?(?:ogc|wfs|wms)\b|\bon (?:the|a|our) (?:web )?map\b|\blayers? :/i.test(t.s);
    if (!strong && !weak && !layerAsked) return undefined;
    // A yes/no question ("is there a layer for parks?") asks about the configuration; "can we…?" is a request.
    if (QUESTION_START.test(t.s) && !/\b(?:can|could|would|will) (?:we|you|i|u)\b/i.test(t.before)) return undefined;
    const obj = verbObject(t.s);
    const refused = obj && !layerAsked ? notPublishable(obj.raw) : undefined;
    if (refused !== undefined) return unknown(notPublishableReason(refused));
    const startsWithAdd = /^(?:add|publish|expose|serve|share)\b/i.test(t.s);
    if (!strong && !layerAsked && !LAYER_CONTEXT.test(t.s) && !dottedIdentifiers(t.s).length && !(startsWithAdd && obj?.phrase)) return undefined;

    const { service, rest: noService } = serviceClause(t.s);
    const { environments, rest: noEnv } = environmentList(noService);
    const { schema, rest } = schemaClause(noEnv);
    const qualified = qualifiedTable(rest, false)?.table;
    const table =
      qualified ??
      withSchema(
        firstOf(
          () => phrasesAfter(rest, /\btables? (?:is|was|are|called|named|:) (?:called |named )?/gi, 4),
          () => phrasesBefore(rest, /\btables?\b/gi),
          () => phrasesAfter(rest, /\btable /gi, 3),
          () => phrasesAfter(rest, /\blayers? (?:for|from|of|out of|based on|on|showing|with|using|called|named|:) /gi),
          () => phrasesAfter(rest, /\b(?:from|out of|based on|using) /gi),
          () => verbObject(rest)?.phrase,
          () => phrasesBefore(rest, /\b(?:published|exposed|served|available|online|as (?:a |an )?(?:new )?layer|on the map)\b/gi),
        ),
        schema,
      );
    const serviceHint = service === undefined ? trailingServiceHint(rest, table) : undefined;
    return {
      kind: 'add-layer',
      ...(table !== undefined ? { table } : {}),
      ...(service !== undefined ? { service } : {}),
      ...(serviceHint !== undefined ? { serviceHint } : {}),
      ...(environments.length > 0 ? { environments } : {}),
    };
  },
};

/** Words that, as the object of "describe"/"show"/"what is in", mean the whole database. */
const DATABASE_WORDS = /^(?:(?:the|our|my|this|whole|entire|all|of|postgis|postgres|postgresql|spatial) )*(?:database|databases|db|schema|schemas|data|datasets|tables|everything|postgis|it|catalog|catalogue|contents|inventory)$/i;

const describeDatabase: IntentRule = {
  name: 'describe-database',
  match: (t) => {
    const s = t.s;
    const asks =
      /\b(?:list|show|which|what|enumerate|name|find|give me|count|how many)\b.*\btables\b/i.test(s) ||
      /^tables\b/i.test(s) ||
      /\bwhat (?:data|datasets|tables|layers could|can i publish|could (?:i|we) publish|is available|do (?:we|i|you) have)\b/i.test(s) ||
      /\b(?:what is|what are|show me|show|describe|inspect|explore|summari[sz]e|scan|look at|tell me about|what is in|what is inside|overview of|contents of)\b (?:in |inside )?(?:the |our |this |my )?(?:database|db|postgis|postgres)\b/i.test(s) ||
      /^(?:describe|inspect|show|explore|summari[sz]e) (?:the |our )?(?:schema|database|db)\s*[?.!]?$/i.test(s);
    const schema = /\b(?:in|of|describe|show|list|inspect|explore|about|summari[sz]e) (?:me )?(?:the )?([A-Za-z_][\w$]*) schema\b/i.exec(s)?.[1];
    if (schema !== undefined && (!GENERIC.has(schema.toLowerCase()) || schema.toLowerCase() === 'public')) return { kind: 'describe-database', schema };
    if (!asks) return undefined;
    // "which tables have geometry" asks about the database; a named table ("the columns of the parcels table") does not.
    if (/\b(?:columns?|fields?|attributes?) (?:of|in|for|does|do)\b/i.test(s)) return undefined;
    return { kind: 'describe-database' };
  },
};

const validate: IntentRule = {
  name: 'validate',
  match: (t) => {
    const s = t.s;
    const asks =
      /\b(?:validate|validates|validating|validation|valid|invalid|lint|errors?|problems?|issues?|broken|mistakes?|misconfigur\w*|sanity[- ]check|typos?)\b/i.test(s) ||
      /\bcheck\b.*\b(?:config|configuration|configs|repo|repository|yaml|setup|settings|everything)\b/i.test(s) ||
      new RegExp(`\\b(?:check|verify)\\b(?: the)? ${ENV}\\b`, 'i').test(s) ||
      new RegExp(`^(?:is|are) (?:the |our )?(?:${ENV}|config|configuration|configs|setup|repo|everything)\\b.*\\b(?:ok|okay|correct|good|ready|fine|right|sane)\\b`, 'i').test(s);
    if (!asks) return undefined;
    const environment = anyEnvironment(s);
    return { kind: 'validate', ...(environment !== undefined ? { environment } : {}) };
  },
};

/** Tokens that are words of a diff request, never a side of it. */
const DIFF_NOISE = new Set([
  'the', 'config', 'configs', 'configuration', 'configurations', 'environment', 'environments', 'env', 'envs', 'branch',
  'branches', 'commit', 'commits', 'revision', 'revisions', 'ref', 'refs', 'version', 'versions', 'deployed', 'current',
  'currently', 'state', 'states', 'what', 'is', 'are', 'was', 'has', 'have', 'been', 'changed', 'changes', 'change',
  'different', 'difference', 'differences', 'diff', 'compare', 'comparing', 'comparison', 'between', 'and', 'with', 'to',
  'from', 'against', 'vs', 'vs.', 'versus', 'in', 'of', 'on', 'for', 'since', 'show', 'me', 'us', 'a', 'an', 'how',
  'does', 'do', 'did', 'differ', 'drift', 'new', 'layers', 'layer', 'files', 'settings', 'there', 'any', 'now', 'all',
  'repo', 'repository', 'at', 'side', 'by',
]);

/** Git ref shapes: HEAD~1, a sha, origin/main, main, v1.2.0, refs/tags/x, stash@{0}. */
const GIT_REF = /^(?:HEAD(?:[~^]\d*)*|[0-9a-f]{7,40}|(?:origin|upstream)\/[\w./-]+|main|master|trunk|v?\d+(?:\.\d+)+|refs\/[\w./-]+|[\w.-]+[~^]\d*|[\w-]+\/[\w./-]+|[\w-]*@\{[^}]+\})$/i;

const diffSide = (tok: string | undefined): string | undefined => {
  if (tok === undefined) return undefined;
  const w = tok.replace(/[?!,;:.]+$/, '');
  if (w.length === 0 || DIFF_NOISE.has(w.toLowerCase()) || /^[^\w]/.test(w)) return undefined;
  return isEnvWord(w) ? canonicalEnvironment(w) : w;
};

const diff: IntentRule = {
  name: 'diff',
  match: (t) => {
    const s = t.s;
    const asks =
      /\b(?:diff|diffs|difference|differences|differ|differs|different|compare|comparing|comparison|changed|drift|drifted|vs|versus)\b/i.test(s) ||
      /\bchanges? (?:since|between|from)\b/i.test(s) ||
      /\bwhat is new\b/i.test(s) ||
      /\S\.\.\.?\S/.test(s);
    if (!asks) return undefined;
    const d = words(s)
      .filter((w) => !/^(?:the|config|configs|configuration|configurations|environment|environments|env|envs|branch|commit|revision|version|deployed|current|state|layers|files|settings|repo|repository)$/i.test(w))
      .join(' ');
    const structured: RegExp[] = [
      /\bbetween (\S+) (?:and|&|vs\.?|versus|with) (\S+)/i,
      /\bfrom (\S+) (?:to|->|=>|and) (\S+)/i,
      /\b(?:diff|diffs|compare|comparing|difference|differences|drift|comparison|changed)(?: of| in| for| on)? (\S+) (?:and|with|to|against|vs\.?|versus|&|->|=>) (\S+)/i,
      /(\S+) (?:vs\.?|versus|against|compared (?:to|with)|->|=>) (\S+)/i,
    ];
    for (const re of structured) {
      const m = re.exec(d);
      const from = diffSide(m?.[1]);
      const to = diffSide(m?.[2]);
      if (from !== undefined && to !== undefined) return { kind: 'diff', from, to };
    }
    const range = words(d).find((w) => /^[\w~^/@{}-]+\.\.\.?[\w~^/@{}-]+$/.test(w));
    if (range) {
      const [from, to] = range.split(/\.\.\.?/);
      return { kind: 'diff', ...(diffSide(from) ? { from: diffSide(from)! } : {}), ...(diffSide(to) ? { to: diffSide(to)! } : {}) };
    }
    const sinceWord = /\bsince (\S+)/i.exec(d)?.[1]?.replace(/[?!,;:.]+$/, '');
    const since = sinceWord !== undefined && (isEnvWord(sinceWord) || GIT_REF.test(sinceWord)) ? diffSide(sinceWord) : undefined;
    // Loose: the env names and ref-shaped tokens, in order. One side alone is the target ("what changed in prod"); "since X" names the start.
    const sides = words(d)
      .map((w) => w.replace(/[?!,;:.]+$/, ''))
      .filter((w) => isEnvWord(w) || (GIT_REF.test(w) && !DIFF_NOISE.has(w.toLowerCase())))
      .map((w) => diffSide(w))
      .filter((w): w is string => w !== undefined);
    if (since !== undefined) {
      const to = sides.find((x) => x !== since);
      return { kind: 'diff', from: since, ...(to !== undefined ? { to } : {}) };
    }
    if (sides.length >= 2) return { kind: 'diff', from: sides[0]!, to: sides[1]! };
    if (sides.length === 1) return { kind: 'diff', to: sides[0]! };
    return { kind: 'diff' };
  },
};

const plan: IntentRule = {
  name: 'plan',
  match: (t) => {
    const s = t.s;
    const asks =
      /\bplan\b/i.test(s) ||
      /\b(?:what|which)\b.*\b(?:would|will|is going to|are going to)\b.*\b(?:deploy\w*|happen|change|changes|roll\w* ?out|release\w*|ship\w*|apply\w*|promot\w*)\b/i.test(s) ||
      /\bif (?:i|we|you) (?:deploy|promote|release|ship|apply)\w*\b/i.test(s) ||
      /\b(?:preview|dry[- ]?run|pending|undeployed|not yet deployed|outstanding)\b/i.test(s);
    if (!asks) return undefined;
    const environment = anyEnvironment(s);
    return { kind: 'plan', ...(environment !== undefined ? { environment } : {}) };
  },
};

const listEnvironments: IntentRule = {
  name: 'list-environments',
  match: (t) =>
    (/\b(?:environments|envs)\b/i.test(t.s) &&
      /\b(?:list|which|what|show|are there|do we have|have we got|how many|available|defined|configured|exist|exists|set up|enumerate|name)\b/i.test(t.s)) ||
    /^(?:environments|envs)\s*[?.!]?$/i.test(t.s)
      ? { kind: 'list-environments' }
      : undefined,
};

/** Things a person may ask to see that are not tables: answered with unknown (no intent lists configuration). */
const NOT_A_TABLE = /^(?:config|configuration|configs|settings|layers|services|policy|policies|migrations|deployments|history|logs?|status|yaml)$/i;

const describeTable: IntentRule = {
  name: 'describe-table',
  match: (t) => {
    const s = t.s;
    const qualified = qualifiedTable(s, false)?.table;
    const explicit = firstOf(
      () => phrasesAfter(s, /\b(?:columns?|fields?|attributes?|structure|schema|definition|ddl|details|info|information|properties|geometry type|srid|row count|rows|indexes|indices|primary key|comment|extent|size|type|crs|projection) (?:(?:are|is|exist|exists) )?(?:of|for|in|on|about|does|do|has|have|is|are)(?: the| table)? /gi),
      () => phrasesAfter(s, /\b(?:describe|tell me about|tell me more about|tell me everything about|explain|inspect|summary of|overview of|summari[sz]e|what is in|what is inside|what are in|show me|show|display|look at|info on|details on|details about|details for|information about|information on|anything about|know about|lookup|look up|what do we know about|what about)(?: the| table)? /gi),
      () => phrasesBefore(s, /\b(?:columns|fields|attributes|structure|schema|definition|ddl)\b/gi),
      () => phrasesAfter(s, /\bwhat is (?:the )?(?=[\w$]*[_.][\w$.]*)/gi, 1),
      // "what does the zoning table look like?", "does parcels have a spatial index?", "is the rivers table indexed?"
      () => (/^(?:is|are) .*\b(?:tables?|views?|indexed|empty|spatial)\b/i.test(s) ? phrasesAfter(s, /^(?:is|are) (?:the )?/gi) : undefined),
      () =>
        /^(?:what )?(?:does|do|did) .+ (?:have|has|contain|look like|include|store|hold)\b/i.test(s) ? phrasesAfter(s, /^(?:what )?(?:does|do|did) (?:the )?/gi) : undefined,
    );
    const asked = explicit ?? (qualified && /\?|^(?:what|which|how|tell|show)\b/i.test(s) ? qualified : undefined);
    if (asked === undefined) {
      // "describe the database", "show me the schema": the object is the database itself.
      const whole = /\b(?:describe|inspect|show(?: me)?|explore|what is in|what is inside|tell me about|summari[sz]e)(?: the| our| this)? (.+?)\s*[?.!]?$/i.exec(s)?.[1];
      if (whole !== undefined && DATABASE_WORDS.test(whole.trim())) return { kind: 'describe-database' };
      return undefined;
    }
    if (DATABASE_WORDS.test(asked)) return { kind: 'describe-database' };
    if (NOT_A_TABLE.test(asked)) return undefined;
    const table = qualified && asked.toLowerCase().includes(qualified.toLowerCase()) ? qualified : asked;
    return { kind: 'describe-table', table };
  },
};

const HELP_PHRASES =
  /^(?:help|h|\?|usage|commands?|menu|options|help ?\?|what now|start|hi|hello|hey)\s*[?!.]?$|\b(?:what can you do|what do you do|what are you able to do|what can i ask|what should i ask|how (?:do|does|can) (?:i|this|you|we) (?:use|work|help)|what commands|what are your (?:capabilities|features|commands|options)|what do you (?:support|understand|know)|what are you|who are you|how can you help|what can you help)\b/i;

const help: IntentRule = {
  name: 'help',
  match: (t) => {
    if (t.s.length === 0 && t.before.length > 0) return { kind: 'help' };
    if (HELP_PHRASES.test(t.s) || HELP_PHRASES.test(t.before)) return { kind: 'help' };
    if (/\bhelp\b/i.test(t.before) && words(t.s).length <= 4) return { kind: 'help' };
    return undefined;
  },
};

/** The rules, in the order they are tried; see the contract at the top of the file. */
export const INTENT_RULES: readonly IntentRule[] = [
  refuseApprove,
  refuseRollback,
  refuseDestructive,
  refuseDeploy,
  addSpatialIndex,
  addLayer,
  describeDatabase,
  validate,
  diff,
  plan,
  listEnvironments,
  describeTable,
  help,
];

export function parseIntent(text: string): Intent {
  const t = normalizeRequest(text);
  if (t.before.length === 0) return unknown('the request is empty');
  for (const rule of INTENT_RULES) {
    const intent = rule.match(t);
    if (intent) return intent;
  }
  return unknown('not a request the offline planner understands; ask "help" for what it can do');
}
