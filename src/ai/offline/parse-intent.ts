import type { Intent } from './intent.js';
import { normalizeRequest } from './normalize-request.js';
import { type IntentRule, unknown } from './intent-rule.js';
import { REFUSAL_RULES } from './refusal-rules.js';
import { CHANGE_RULES, QUESTION_RULES } from './intent-rules.js';
import { OPERATION_RULES } from './operation-rules.js';
import { pullRequestRule } from './pull-request-rule.js';
import { ENVIRONMENT_RULES } from './environment-rules.js';

/**
 * Free text → Intent, without a model. Pure and deterministic: the same text always gives the
 * same intent. The request is first normalized (quotes, contractions, politeness and "we need
 * to"-style preambles removed, punctuation split into tokens), then an ordered table of rules is
 * tried; the first rule that claims the request decides it. Each rule pairs a recognizer with
 * extractors for the pieces it needs (table phrase, service, environments, refs), so new
 * phrasings are usually a word added to a list, not a new regular expression.
 *
 * Order matters and states the safety contract: requests to approve a deployment or to go around
 * the policy (skip the approval or the window, force it, disable the policy) come first and are
 * always `refuse` (with the reason), and requests to delete, rename, merge or push are `unknown`,
 * whatever else they mention, so those requests never become an actionable intent. Then the
 * operations, each needing its verb as a command (review, promote, schedule, deploy, roll back,
 * restore); then proposals, with or without a pull request (index requests before add-layer, so
 * "add a spatial index to parcels" is never read as publishing parcels); then questions about
 * what runs (what failed, history, status, health, backups); then questions about the
 * configuration and the database.
 *
 * Table phrases are returned as the user wrote them, minus articles and filler ("the bike lanes
 * table" → "bike lanes"); matchTable resolves them against the inspected schema. A
 * schema-qualified identifier (public.bike_lanes) anywhere in the request wins over wording.
 */

/** The rules, in the order they are tried; see the contract at the top of the file. */
export const INTENT_RULES: readonly IntentRule[] = [
  ...REFUSAL_RULES,
  ...OPERATION_RULES,
  pullRequestRule(CHANGE_RULES),
  ...CHANGE_RULES,
  ...ENVIRONMENT_RULES,
  ...QUESTION_RULES,
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
