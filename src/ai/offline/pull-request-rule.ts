import type { Intent } from './intent.js';
import type { NormalizedRequest } from './normalize-request.js';
import { namedRef } from './operation-phrases.js';
import type { IntentRule } from './intent-rule.js';

/**
 * Proposals that ask for a pull request too: "propose a layer for parks", "open a pull request
 * adding parks", "add a layer for parks and open a PR". The pull-request words are taken out
 * ("…and open a PR" goes, "a PR adding" becomes "add", "propose" becomes "add"), the rest is read
 * by the proposal rules it is given (add-layer, add-spatial-index), and their intent is marked
 * `pullRequest`. A pull request asked for on its own opens one from a branch that exists.
 */

const PR = '(?:pull[ -]?requests?|prs?|merge requests?)';
const OPEN = '(?:open|opening|raise|raising|create|creating|make|making|file|filing|submit|submitting|send|start|put up|put in|prepare|draft|do)';
const DOING = '(?:add|adds|adding|publish|publishes|publishing|expose|exposes|exposing|create|creates|creating|index|indexes|indexing)';

/** "…, and then open a PR for it": the whole clause. */
const OPEN_PR = new RegExp(
  `(?:(?:,|and|then|also|\\+|&) )*\\b${OPEN} (?:up )?(?:a |an |the |one )?(?:new )?${PR}\\b(?: (?:for|with|of) (?:it|that|this|them|the changes?))?`,
  'gi',
);
/** "…as a PR", "…via a pull request". */
const AS_PR = new RegExp(`\\b(?:as|in|via|through|with) (?:a |an )?(?:new )?${PR}\\b`, 'gi');
/** "(open) a pull request adding X" → "add X". */
const PR_DOING = new RegExp(`(?:\\b${OPEN} )?(?:a |an |the |one )?(?:new )?\\b${PR} (?:that |which |to |for )?(${DOING})\\b`, 'gi');
/** "propose (adding) X" → "add X": a proposal the person wants reviewed as a pull request. */
const PROPOSE = /(^|[,.;:!?] |\b(?:and|then|also) )propos(?:e|es|ing)(?: (add|adding|to add|publish|publishing|to publish|create|creating|to create))?\b/gi;

const MENTIONS_PR = new RegExp(`\\b${PR}\\b`, 'i');
const OPENS_PR = new RegExp(`\\b${OPEN} (?:up )?(?:a |an |the |one )?(?:new )?${PR}\\b`, 'i');

const base = (verb: string): string =>
  /^(?:publish|to publish|publishing)/i.test(verb) ? 'publish' : /create|creating/i.test(verb) ? 'create' : /index/i.test(verb) ? 'index' : 'add';

function rewrite(text: string): string {
  return text
    .replace(PR_DOING, (_m, verb: string) => base(verb))
    .replace(OPEN_PR, ' , ')
    .replace(AS_PR, ' , ')
    .replace(PROPOSE, (_m, lead: string, verb: string | undefined) => `${lead}${verb ? base(verb) : 'add'}`)
    .replace(/\s+/g, ' ')
    .replace(/^(?:[,.;:!] )+|(?: [,.;:!])+$/g, '')
    .trim();
}

/** The rule, over the proposal rules that read what remains. */
export function pullRequestRule(proposals: readonly IntentRule[]): IntentRule {
  return {
    name: 'pull-request',
    match: (t) => {
      const proposed = PROPOSE.test(t.s);
      PROPOSE.lastIndex = 0;
      if (!MENTIONS_PR.test(t.s) && !proposed) return undefined;
      // "open a PR for feature/add-parks-layer": the branch exists; its name is not a request to add anything.
      const branch = namedRef(t.s);
      if (branch !== undefined && OPENS_PR.test(t.s)) return { kind: 'open-pull-request', branch };
      const rest: NormalizedRequest = { s: rewrite(t.s), before: rewrite(t.before) };
      for (const rule of proposals) {
        const intent = rule.match(rest);
        if (intent?.kind === 'add-layer' || intent?.kind === 'add-spatial-index') return { ...intent, pullRequest: true } as Intent;
        if (intent) return intent;
      }
      return OPENS_PR.test(t.s) ? { kind: 'open-pull-request' } : undefined;
    },
  };
}
