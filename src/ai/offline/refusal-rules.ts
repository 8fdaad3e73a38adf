import { distance } from 'fastest-levenshtein';
import type { Intent } from './intent.js';
import { HYPOTHETICAL, QUESTION_START } from './vocabulary.js';
import { words } from './normalize-request.js';
import { deploymentId, environmentOf } from './operation-phrases.js';
import { type IntentRule, unknown } from './intent-rule.js';

/**
 * The safety contract of the offline planner: requests to approve a deployment, or to go around
 * the deployment policy (skip its approval or window, force a deployment, disable the policy),
 * are refusals — answered plainly with who can do it and how, never an actionable intent, whatever
 * else they mention. Requests to delete or rename, to merge or push are `unknown` with the
 * reason. These rules are tried before every other (parse-intent.ts).
 */

/** Approval words, and near misses of them ("aprove", "approvel"): approving is never the consultant's to do. */
const APPROVAL = /\b(?:approv(?:e|es|ed|ing|al|als)|authori[sz](?:e|es|ed|ing|ation)|sign[- ]?off|sign off|lgtm|green[- ]?light|rubber[- ]?stamp)\b/i;
/** "waiting for approval", "pending approval", "is X approved yet?": the state of a deployment, asked about, not an approval asked for. */
const APPROVAL_STATE =
  /\b(?:waiting|awaiting|pending|needs?|needing|requires?|required|requiring|waits) (?:for )?(?:an? |the |human |their |your )*(?:approvals?|sign[- ]?offs?)\b|^(?:is|was|has|have|are|were) (?:\S+ ){0,4}?(?:been |already |yet )*approved\b/gi;
const mentionsApproval = (text: string): boolean => {
  const asked = text.replace(APPROVAL_STATE, ' ');
  return APPROVAL.test(asked) || words(asked.toLowerCase()).some((w) => w.length >= 6 && ['approve', 'approval', 'approved'].some((a) => distance(w, a) <= 1));
};

const refusal = (refusal: 'approve' | 'bypass', reason: string, text: string): Intent => {
  const environment = environmentOf(text);
  const deployment = deploymentId(text);
  return { kind: 'refuse', refusal, reason, ...(environment ? { environment } : {}), ...(deployment ? { deployment } : {}) };
};

const refuseApprove: IntentRule = {
  name: 'refuse-approve',
  match: (t) =>
    mentionsApproval(t.before)
      ? refusal('approve', 'approvals are given by a person the deployment policy names; the consultant never approves a deployment', t.s)
      : undefined,
};

/** What the policy puts between a change and production; going around any of it is a bypass. */
const GUARD =
  '(?:the |its |any |our |that |this |all |every |these )?(?:(?:deployment|deploy|maintenance|change|release|production|prod|policy|approval|required|mandatory|human) )*(?:approvals?|approvers?|sign[- ]?offs?|windows?|polic(?:y|ies)|checks?|gates?|reviews?|blackouts?|freezes?|rules?|wait(?:ing)?|queue|process|guardrails?|safeguards?|protections?)';
const BYPASS = new RegExp(
  `\\b(?:skip|skipping|bypass|bypassing|override|overriding|circumvent|circumventing|ignore|ignoring|get around|go around|work around|sidestep|avoid|turn off|switch off|disable|disabling|suspend|remove|drop|lift|waive|without|no|forget|outside|outside of|regardless of|despite) ${GUARD}\\b`,
  'i',
);
/** "force it through", "force the deployment", "--force" — "force" as a verb, not the air force; a git force push is the git rule's. */
const FORCE =
  /(?:^|[,.;:!?] |\b(?:and|then|to|now|can|could|we|you|i) )forc(?:e|ing)\b(?! ?-? ?push)|\bforced? (?:it |this |that |them |the \w+ |a \w+ )?through\b|\bforce[- ]?deploy\w*|- - force\b/i;
/** Urgency that, for production, asks to skip the approval and the window. */
const URGENT =
  /\b(?:right now|now now|immediately|asap|as soon as possible|straight away|right away|at once|this instant|this minute|without delay|without waiting|no matter what|urgently|emergency)\b/i;
const DEPLOY_WORD = /\b(?:deploy\w*|release|ship|roll ?out|go live|push|promote|apply)\b/i;

const refuseBypass: IntentRule = {
  name: 'refuse-bypass',
  match: (t) => {
    const s = t.s;
    const urgentProduction = URGENT.test(s) && DEPLOY_WORD.test(s) && environmentOf(s) === 'production';
    if (!BYPASS.test(s) && !FORCE.test(s) && !urgentProduction) return undefined;
    return refusal(
      'bypass',
      'going around the deployment policy (its approval, its window, its checks) is not something the consultant does; a person deploys, and an approver the policy names approves',
      s,
    );
  },
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

const refuseGit: IntentRule = {
  name: 'refuse-git',
  match: (t) => {
    // The verb as a command (at the start of a clause, or after "and"/"then"/"to"), not the noun in "since the last merge" nor a question ("is it safe to merge?").
    if (QUESTION_START.test(t.s) || !/(?:^|[,.;:!?] |\b(?:and|then|to|now|also) )(?:merge|push|force push|git push)\b/i.test(t.s) || HYPOTHETICAL.test(t.s))
      return undefined;
    return unknown(
      'merging and pushing are for a person to do in git; the consultant proposes branches and pull requests, and deploys only when asked to ("deploy to staging")',
    );
  },
};

/** The refusals, tried first, in this order: a bypass names approvals too, so it is recognized before the approval rule reads it. */
export const REFUSAL_RULES: readonly IntentRule[] = [refuseBypass, refuseApprove, refuseDestructive, refuseGit];
