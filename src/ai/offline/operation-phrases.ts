import { canonicalEnvironment } from '../../config/index.js';
import { words } from './normalize-request.js';
import { anyEnvironment } from './phrases.js';
import { isEnvWord } from './vocabulary.js';

/**
 * Extracting what requests about deployments name: deployment ids, commits, branches, tags, pull
 * requests, migrations, how many, and when. The text is a normalized request (tokens joined by
 * single spaces, so "10:00" arrives as "10 : 00" and "#12" as "# 12"); each extractor accepts
 * that form.
 */

/** A deployment id as the engine writes it: environment, a 14-digit UTC stamp, the short commit (production-20261208100000-ab12cd3). */
const DEPLOYMENT_ID = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d{14}-[0-9a-z]{1,12}(?:-\d+)?$/i;
const SHA = /^[0-9a-f]{7,40}$/i;
/** Refs that name themselves: a path-like branch (honua/add-parks, origin/main), a version tag, HEAD and its ancestors. */
const SELF_EVIDENT_REF = /^(?:[\w.-]+\/[\w./-]*[\w-]|v\d+(?:\.\d+)+(?:-[\w.]+)?|HEAD(?:[~^]\d*)*)$/;

export const isDeploymentId = (w: string): boolean => DEPLOYMENT_ID.test(w);

export function deploymentId(s: string): string | undefined {
  return words(s).find(isDeploymentId);
}

/** A commit: the word after "commit"/"sha", else a hex word with digits and letters (so "deadbeef" alone and "1234567" alone are not). */
export function commitRef(s: string): string | undefined {
  const named = /\b(?:commit|sha|revision|rev) (?:# )?([0-9a-f]{7,40})\b/i.exec(s)?.[1];
  return named ?? words(s).find((w) => SHA.test(w) && /\d/.test(w) && /[a-f]/i.test(w));
}

/** A branch, tag or HEAD: "branch X", or a word that can only be a ref. */
export function namedRef(s: string): string | undefined {
  const named = /\b(?:branch|tag) (?:called |named )?([\w./-]+)/i.exec(s)?.[1];
  if (named && !/^(?:the|a|an|it|this|that|for|to|in|into|on)$/i.test(named)) return named;
  return words(s).find((w) => SELF_EVIDENT_REF.test(w) && !isDeploymentId(w));
}

/** A pull request number: "PR #12", "pull request 12", "#12" → "#12" (review_plan reads it so). */
export function pullRequestNumber(s: string): string | undefined {
  const m = /\b(?:pr|prs|pull[ -]?request|merge request|mr)(?: number| no \.?)? (?:# )?(\d{1,9})\b/i.exec(s) ?? /(?:^| )# (\d{1,9})\b/.exec(s);
  return m ? `#${m[1]}` : undefined;
}

/** A migration: "migration 003", "migration 003_optimize_bike_lanes", or a word shaped like one (003_optimize_bike_lanes). */
export function migrationRef(s: string): string | undefined {
  const named = /\bmigrations? (?:number |# )?(\d{1,6}(?:_\w+)?|[a-z]\w*_\w+)\b/i.exec(s)?.[1];
  return named ?? words(s).find((w) => /^\d{3,}_\w+$/.test(w));
}

/** The text with deployment ids and refs blanked, so "production" inside production-2026… or honua/promote-staging-to-production is no environment. */
export function withoutRefs(s: string): string {
  return words(s)
    .map((w) => (isDeploymentId(w) || /[/_]/.test(w) || SHA.test(w) ? '§' : w))
    .join(' ');
}

/** The environment a request names outside its refs; else the environment of the deployment id it names. */
export function environmentOf(s: string): string | undefined {
  const named = anyEnvironment(withoutRefs(s));
  if (named) return named;
  const id = deploymentId(s);
  const prefix = id ? /^(.*)-\d{14}-/.exec(id)?.[1] : undefined;
  return prefix ? canonicalEnvironment(prefix) : undefined;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20 };

/** How many: "last 5 deployments", "the 3 most recent deploys", "last ten". */
export function countOf(s: string): number | undefined {
  const m =
    /\b(?:last|latest|recent|newest|past|top|first|previous) (\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twenty)\b/i.exec(s) ??
    /\b(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twenty) (?:most recent |latest |last |newest |recent |previous )?(?:deployments|deploys|releases|rollbacks)\b/i.exec(
      s,
    );
  if (!m) return undefined;
  const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}

/** Environments in the order a promotion names them: `from` (after "from", else first) and `to` (after to/into/→, else second). */
export function promotionSides(s: string): { from?: string; to?: string } {
  const ws = words(withoutRefs(s).replace(/- >|= >|->|=>|→|⇒|➔/g, ' → '));
  const found: Array<{ env: string; role?: 'from' | 'to' }> = [];
  ws.forEach((w, i) => {
    if (!isEnvWord(w)) return;
    // "to the staging environment": look past articles for the preposition.
    let j = i - 1;
    while (j >= 0 && /^(?:the|our)$/i.test(ws[j]!)) j--;
    const prev = ws[j]?.toLowerCase();
    const role = prev !== undefined && /^(?:to|into|onto|→|towards|over)$/.test(prev) ? 'to' : prev === 'from' ? 'from' : undefined;
    found.push({ env: canonicalEnvironment(w), ...(role ? { role } : {}) });
  });
  const free = found.filter((f) => f.role === undefined);
  const from = found.find((f) => f.role === 'from')?.env ?? free.shift()?.env;
  const to = found.find((f) => f.role === 'to')?.env ?? free.find((f) => f.env !== from)?.env;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined && to !== from ? { to } : {}) };
}

const WEEKDAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)';
const DAY = `(?:today|tomorrow|(?:next|this|coming)[ -]${WEEKDAY}|${WEEKDAY}|\\d{4}-\\d{2}-\\d{2})`;
/** A time of day needs minutes or am/pm: "10:00", "9:30am", "10 am" (a bare "10" is a number, not a time). */
const CLOCK = '(?:\\d{1,2}:\\d{2}(?: ?[ap]\\.?m\\b\\.?)?|\\d{1,2} ?[ap]\\.?m\\b\\.?)';
const RANGE = `${CLOCK}(?: ?(?:-|to|until|till|and) ?${CLOCK})?`;
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?';
const LEAD = '(?:(?:on|for|at|@|from|between|around|by|starting) )?';
/** A day said without a time of day: only unmistakable forms ("on friday", "next tuesday", "tomorrow"), never "today" ("deploy today" is a deployment now). */
const DAY_ALONE = `(?:tomorrow|(?:next|this|coming)[ -]${WEEKDAY}|(?<=\\bon )${WEEKDAY}|\\d{4}-\\d{2}-\\d{2})`;

/** Times said too loosely to schedule ("next week", "tonight", "in two hours"): the planner asks for a day and a time. */
const UNCLEAR_TIME =
  /\b(?:next week|this week|later(?: today| on)?|tonight|this (?:evening|afternoon|morning|weekend)|over the weekend|in (?:an?|\d+|a few|a couple of|one|two|three) (?:minutes?|hours?|days?|weeks?)|at (?:noon|midnight)|end of (?:the )?day|eod|after hours|off[- ]hours|overnight)\b/i;
/** "at the next window", "in the next allowed slot": move a refused time to the next one the policy allows. */
const NEXT_WINDOW =
  /\b(?:next|first|earliest|soonest) (?:allowed |available |open |possible |free |permitted )?(?:deployment |maintenance |change )?(?:window|slot)\b|\bwhen the (?:deployment )?window opens\b/i;

const clockText = (c: string): string => c.replace(/\./g, '').replace(/\s+/g, '').toLowerCase();
function dayText(d: string): string {
  const t = d.toLowerCase().replace(/-/g, ' ');
  if (/^\d{4} \d{2} \d{2}$/.test(t)) return d;
  return t.replace(/^(?:this|coming) /, '').replace(/^next /, 'next-');
}
function rangeText(r: string): string {
  const clocks = r.match(new RegExp(CLOCK, 'gi')) ?? [];
  return clocks.map(clockText).join('-');
}

export interface TimePhrase {
  /** As schedule_deployment reads it: "next-tuesday 10:00", "tomorrow 09:30-11:00", "2026-12-08 10:00", ISO; a day alone when no time was said. */
  at?: string;
  nextWindow?: true;
  /** A time said too loosely to schedule ("next week"), as written; `at` is then absent. */
  unclear?: string;
  /** The request without the time. */
  rest: string;
}

/** When a request says it should happen; undefined when it names no time. */
export function timePhrase(s: string): TimePhrase | undefined {
  const t = s.replace(/(\d) : (?=\d)/g, '$1:').replace(/(\d) : (?=\d)/g, '$1:');
  const nextWindow = NEXT_WINDOW.test(t) ? ({ nextWindow: true } as const) : {};
  const cut = (m: RegExpExecArray): string => `${t.slice(0, m.index)} , ${t.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim();
  const forms: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [new RegExp(`\\b${LEAD}(${ISO})`, 'i'), (m) => m[1]!],
    [new RegExp(`\\b${LEAD}(${DAY})(?: ,)? ${LEAD}(${RANGE})`, 'i'), (m) => `${dayText(m[1]!)} ${rangeText(m[2]!)}`],
    [new RegExp(`\\b${LEAD}(${RANGE}) ${LEAD}(${DAY})\\b`, 'i'), (m) => `${dayText(m[2]!)} ${rangeText(m[1]!)}`],
    [new RegExp(`\\b${LEAD}(${RANGE})`, 'i'), (m) => `today ${rangeText(m[1]!)}`],
    [new RegExp(`\\b${LEAD}(${DAY_ALONE})\\b`, 'i'), (m) => dayText(m[1]!)],
  ];
  for (const [re, text] of forms) {
    const m = re.exec(t);
    if (m) return { at: text(m), ...nextWindow, rest: cut(m) };
  }
  const unclear = UNCLEAR_TIME.exec(t);
  if (unclear) return { unclear: unclear[0], ...nextWindow, rest: cut(unclear) };
  if (nextWindow.nextWindow) return { ...nextWindow, rest: t.replace(NEXT_WINDOW, ' , ').replace(/\s+/g, ' ').trim() };
  return undefined;
}
