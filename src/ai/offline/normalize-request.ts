import { isEnvWord } from './vocabulary.js';

/** A request as the rules see it. */
export interface NormalizedRequest {
  /** Tokens joined by single spaces (punctuation is its own token), politeness and preambles removed, case kept. */
  s: string;
  /** The same before politeness and preambles were removed (greetings, "can we…?" questions, approvals). */
  before: string;
}

export const words = (s: string): string[] => s.split(' ').filter((w) => w.length > 0);

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
  new RegExp(
    `${CLAUSE_START}(?:i|we) (?:would like|would love|want|wanna|need|have|plan|am planning|are planning|am trying|are trying|am going|are going|am looking|are looking|am hoping|are hoping|hope) (?:you )?to `,
    'gi',
  ),
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
  for (let changed = true; changed;) {
    const prev = s;
    s = s.replace(FILLER_ANYWHERE, ' ');
    for (const re of FILLER_AT_CLAUSE_START) s = s.replace(re, '$1');
    s = s.replace(/\s+/g, ' ').trim();
    changed = s !== prev;
  }
  s = s
    .replace(/^(?:[,.;:!] )+/, '')
    .replace(/( [,.;:!])+$/, '')
    .trim();
  return { s, before };
}
