import { distance } from 'fastest-levenshtein';
import { HYPOTHETICAL } from './vocabulary.js';
import { words } from './normalize-request.js';
import { anyEnvironment } from './phrases.js';
import { type IntentRule, unknown } from './intent-rule.js';

/**
 * The safety contract of the offline planner: requests to approve, roll back, delete or deploy
 * are always `unknown` (with the reason), whatever else they mention, so they never become an
 * actionable intent. These rules are tried before every other (parse-intent.ts).
 */

/** Approval words, and near misses of them ("aprove", "approvel"): approving is never the consultant's to do. */
const APPROVAL = /\b(?:approv(?:e|es|ed|ing|al|als)|authori[sz](?:e|es|ed|ing|ation)|sign[- ]?off|sign off|lgtm|green[- ]?light|rubber[- ]?stamp)\b/i;
const mentionsApproval = (text: string): boolean =>
  APPROVAL.test(text) || words(text.toLowerCase()).some((w) => w.length >= 6 && ['approve', 'approval', 'approved'].some((a) => distance(w, a) <= 1));

const refuseApprove: IntentRule = {
  name: 'refuse-approve',
  match: (t) =>
    mentionsApproval(t.before) ? unknown('approvals are given by a person the deployment policy names; the consultant never approves a deployment') : undefined,
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
    /\b(?:delete|drop|remove|destroy|truncate|wipe|purge|erase|nuke|unpublish|get rid of|take down|tear down|reset|disable|deprecate|retire|rename)\b/i.test(
      t.s,
    )
      ? unknown('removing or renaming layers, tables or data is not something the offline planner does; edit the configuration and review the plan')
      : undefined,
};

const refuseDeploy: IntentRule = {
  name: 'refuse-deploy',
  match: (t) => {
    // The verb as a command (at the start of a clause, or after "and"/"then"/"to"), not the noun in "since the last deploy".
    if (!/(?:^|[,.;:!?] |\b(?:and|then|to|now|also) )(?:deploy|promote|release|ship|apply|push|roll ?out|merge|go live)\b/i.test(t.s) || HYPOTHETICAL.test(t.s))
      return undefined;
    const env = anyEnvironment(t.s);
    return unknown(`deploying and merging are operator actions that need approval; ask for a plan instead ("plan ${env ?? '<environment>'}")`);
  },
};

/** The refusals, tried first, in this order. */
export const REFUSAL_RULES: readonly IntentRule[] = [refuseApprove, refuseRollback, refuseDestructive, refuseDeploy];
