import { canonicalEnvironment } from '../../config/index.js';
import {
  ACTION_VERB,
  ADD_VERBS,
  BOUNDARY,
  DETERMINERS,
  ENV,
  GENERIC,
  GENERIC_COLUMN,
  GEOMETRY_COLUMN,
  INDEX_WORD,
  LAYER_CONTEXT,
  NOT_PUBLISHABLE,
  PUBLISH_VERBS,
  QUESTION_START,
  SLOW,
  SPATIAL_WORD,
  isEnvWord,
} from './vocabulary.js';
import { words } from './normalize-request.js';
import {
  anyEnvironment,
  cleanPhrase,
  dottedIdentifiers,
  environmentList,
  firstOf,
  phrasesAfter,
  phrasesBefore,
  qualifiedTable,
  schemaClause,
  serviceClause,
  trailingServiceHint,
  verbPattern,
  withSchema,
} from './phrases.js';
import { type IntentRule, unknown } from './intent-rule.js';

/** The rules that turn a request into an actionable or read-only intent, each a recognizer with its extractors. */

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
        firstOf(() =>
          phrasesBefore(
            rest,
            /\b(?:queries|query|lookups|searches|requests|reads|layer|map|tiles) (?:are|is|run|runs|load|loads|feel|feels|seem|seems|get|got|take|takes|have|has)\b/gi,
          ),
        );
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
      /\b(?:new|another) layers?\b|\blayers? (?:for|from|of|out of|based on|showing|with|using)\b|\bas (?:an? )?(?:new )?(?:layer|collection|feature service|ogc|wfs|wms|api|features?)\b/i.test(
        t.s,
      ) ||
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
const DATABASE_WORDS =
  /^(?:(?:the|our|my|this|whole|entire|all|of|postgis|postgres|postgresql|spatial) )*(?:database|databases|db|schema|schemas|data|datasets|tables|everything|postgis|it|catalog|catalogue|contents|inventory)$/i;

const describeDatabase: IntentRule = {
  name: 'describe-database',
  match: (t) => {
    const s = t.s;
    const asks =
      /\b(?:list|show|which|what|enumerate|name|find|give me|count|how many)\b.*\btables\b/i.test(s) ||
      /^tables\b/i.test(s) ||
      /\bwhat (?:data|datasets|tables|layers could|can i publish|could (?:i|we) publish|is available|do (?:we|i|you) have)\b/i.test(s) ||
      /\b(?:what is|what are|show me|show|describe|inspect|explore|summari[sz]e|scan|look at|tell me about|what is in|what is inside|overview of|contents of)\b (?:in |inside )?(?:the |our |this |my )?(?:database|db|postgis|postgres)\b/i.test(
        s,
      ) ||
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
      /\b(?:validate|validates|validating|validation|valid|invalid|lint|errors?|problems?|issues?|broken|mistakes?|misconfigur\w*|sanity[- ]check|typos?)\b/i.test(
        s,
      ) ||
      /\bcheck\b.*\b(?:config|configuration|configs|repo|repository|yaml|setup|settings|everything)\b/i.test(s) ||
      new RegExp(`\\b(?:check|verify)\\b(?: the)? ${ENV}\\b`, 'i').test(s) ||
      new RegExp(
        `^(?:is|are) (?:the |our )?(?:${ENV}|config|configuration|configs|setup|repo|everything)\\b.*\\b(?:ok|okay|correct|good|ready|fine|right|sane)\\b`,
        'i',
      ).test(s);
    if (!asks) return undefined;
    const environment = anyEnvironment(s);
    return { kind: 'validate', ...(environment !== undefined ? { environment } : {}) };
  },
};

/** Tokens that are words of a diff request, never a side of it. */
const DIFF_NOISE = new Set([
  'the',
  'config',
  'configs',
  'configuration',
  'configurations',
  'environment',
  'environments',
  'env',
  'envs',
  'branch',
  'branches',
  'commit',
  'commits',
  'revision',
  'revisions',
  'ref',
  'refs',
  'version',
  'versions',
  'deployed',
  'current',
  'currently',
  'state',
  'states',
  'what',
  'is',
  'are',
  'was',
  'has',
  'have',
  'been',
  'changed',
  'changes',
  'change',
  'different',
  'difference',
  'differences',
  'diff',
  'compare',
  'comparing',
  'comparison',
  'between',
  'and',
  'with',
  'to',
  'from',
  'against',
  'vs',
  'vs.',
  'versus',
  'in',
  'of',
  'on',
  'for',
  'since',
  'show',
  'me',
  'us',
  'a',
  'an',
  'how',
  'does',
  'do',
  'did',
  'differ',
  'drift',
  'new',
  'layers',
  'layer',
  'files',
  'settings',
  'there',
  'any',
  'now',
  'all',
  'repo',
  'repository',
  'at',
  'side',
  'by',
]);

/** Git ref shapes: HEAD~1, a sha, origin/main, main, v1.2.0, refs/tags/x, stash@{0}. */
const GIT_REF =
  /^(?:HEAD(?:[~^]\d*)*|[0-9a-f]{7,40}|(?:origin|upstream)\/[\w./-]+|main|master|trunk|v?\d+(?:\.\d+)+|refs\/[\w./-]+|[\w.-]+[~^]\d*|[\w-]+\/[\w./-]+|[\w-]*@\{[^}]+\})$/i;

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
      .filter(
        (w) =>
          !/^(?:the|config|configs|configuration|configurations|environment|environments|env|envs|branch|commit|revision|version|deployed|current|state|layers|files|settings|repo|repository)$/i.test(
            w,
          ),
      )
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
      /\b(?:what|which)\b.*\b(?:would|will|is going to|are going to)\b.*\b(?:deploy\w*|happen|change|changes|roll\w* ?out|release\w*|ship\w*|apply\w*|promot\w*)\b/i.test(
        s,
      ) ||
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
      () =>
        phrasesAfter(
          s,
          /\b(?:columns?|fields?|attributes?|structure|schema|definition|ddl|details|info|information|properties|geometry type|srid|row count|rows|indexes|indices|primary key|comment|extent|size|type|crs|projection) (?:(?:are|is|exist|exists) )?(?:of|for|in|on|about|does|do|has|have|is|are)(?: the| table)? /gi,
        ),
      () =>
        phrasesAfter(
          s,
          /\b(?:describe|tell me about|tell me more about|tell me everything about|explain|inspect|summary of|overview of|summari[sz]e|what is in|what is inside|what are in|show me|show|display|look at|info on|details on|details about|details for|information about|information on|anything about|know about|lookup|look up|what do we know about|what about)(?: the| table)? /gi,
        ),
      () => phrasesBefore(s, /\b(?:columns|fields|attributes|structure|schema|definition|ddl)\b/gi),
      () => phrasesAfter(s, /\bwhat is (?:the )?(?=[\w$]*[_.][\w$.]*)/gi, 1),
      // "what does the zoning table look like?", "does parcels have a spatial index?", "is the rivers table indexed?"
      () => (/^(?:is|are) .*\b(?:tables?|views?|indexed|empty|spatial)\b/i.test(s) ? phrasesAfter(s, /^(?:is|are) (?:the )?/gi) : undefined),
      () =>
        /^(?:what )?(?:does|do|did) .+ (?:have|has|contain|look like|include|store|hold)\b/i.test(s)
          ? phrasesAfter(s, /^(?:what )?(?:does|do|did) (?:the )?/gi)
          : undefined,
    );
    const asked = explicit ?? (qualified && /\?|^(?:what|which|how|tell|show)\b/i.test(s) ? qualified : undefined);
    if (asked === undefined) {
      // "describe the database", "show me the schema": the object is the database itself.
      const whole =
        /\b(?:describe|inspect|show(?: me)?|explore|what is in|what is inside|tell me about|summari[sz]e)(?: the| our| this)? (.+?)\s*[?.!]?$/i.exec(s)?.[1];
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

/** The rules for changes the planner proposes, in order: index requests before add-layer, so "add a spatial index to parcels" is never read as publishing parcels. */
export const CHANGE_RULES: readonly IntentRule[] = [addSpatialIndex, addLayer];

/** The rules for read-only questions about the configuration and the database, in the order they are tried. */
export const QUESTION_RULES: readonly IntentRule[] = [describeDatabase, validate, diff, plan, listEnvironments, describeTable, help];

/** The rules after the refusals, in the order they are tried: changes first, read-only questions after. */
export const REQUEST_RULES: readonly IntentRule[] = [...CHANGE_RULES, ...QUESTION_RULES];
