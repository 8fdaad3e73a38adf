import type { Intent } from './intent.js';
import { words } from './normalize-request.js';
import {
  commitRef,
  deploymentId,
  environmentOf,
  isDeploymentId,
  migrationRef,
  namedRef,
  promotionSides,
  pullRequestNumber,
  timePhrase,
} from './operation-phrases.js';
import { isEnvWord } from './vocabulary.js';
import { type IntentRule, unknown } from './intent-rule.js';

/**
 * The rules for requests that act on environments or judge a change before it ships: review,
 * promote, schedule, deploy, roll back, restore. Each needs its verb as a command — at the start
 * of a clause, or after "and"/"then" — so a question about them ("what would deploying do?",
 * "what is the rollback policy?") or the word inside a name (the reviews table) is not one. They
 * come after the refusals, so "deploy to production right now" or "approve it and deploy" never
 * get here.
 */

const QUESTION = /^(?:how|what|why|when|where|who|which|whose|does|do|did|is|are|was|were|should|has|have|had|will|would|shall)\b/i;
/** Conditions and previews: "what if we deploy", "deploy if the checks pass" ask about an action, not for it. */
const CONDITIONAL = /\b(?:would|if|happens?|preview|dry[- ]?run)\b/i;
const command = (verbs: string): RegExp => new RegExp(`(?:^|[,.;:!?] |\\b(?:and|then|now|also|to|so|first|please|just|go) )(?:${verbs})\\b`, 'i');

/** Words that say "what we have now" as the object of deploy/promote: nothing to resolve, HEAD or the whole environment. */
const CURRENT = new Set(
  'it this that these everything all the a an our my its changes change latest current config configuration configs head now again state whatever what is in repo repository version new deployment deploy release build work stuff environment env envs environments one ones same last most recent commit lot whole entire of up out live over fix fixes hotfix update updates patch patches code branch previous prior earlier'.split(
    ' ',
  ),
);
/** Where the object of a command ends: prepositions, conjunctions, punctuation. */
const OBJECT_END = /^(?:to|into|onto|in|on|for|from|at|with|by|and|then|but|so|after|before|when|as|via|using|next|tomorrow|today|[^\w$#])$/i;

/** The words after the command verb, up to a preposition, an environment or punctuation. */
function objectWords(s: string, verb: RegExp): string[] {
  const m = verb.exec(s);
  if (!m) return [];
  const out: string[] = [];
  for (const w of words(s.slice(m.index + m[0].length))) {
    if (OBJECT_END.test(w) || isEnvWord(w)) break;
    out.push(w);
  }
  return out;
}

/** The object words that name something other than the current state or a ref; what "deploy parks" would mean. */
const strangeObject = (object: readonly string[]): string[] =>
  object.filter(
    (w) =>
      !CURRENT.has(w.toLowerCase()) &&
      !isDeploymentId(w) &&
      !/^(?:main|master|trunk|develop)$/i.test(w) &&
      commitRef(w) === undefined &&
      namedRef(w) === undefined &&
      !/^\d/.test(w) &&
      !/^migrations?$/i.test(w),
  );

const acting = (s: string): boolean => !QUESTION.test(s) && !CONDITIONAL.test(s);

/** A change asked for before the operation ("add parks to staging and deploy it"): two requests, and the first is a proposal that must be merged before anything deploys it. */
function compound(s: string, verb: RegExp): Intent | undefined {
  const m = verb.exec(s);
  if (!m || !/(?:^|[,.;:!?] )(?:add|publish|expose|create|make|index|propose|generate|write)\b/i.test(s.slice(0, m.index))) return undefined;
  return unknown(
    'that is two requests in one: a change to propose, and an operation. Ask for the change first (it becomes a proposal to review and merge), then for the operation on its own',
  );
}

/** "deploy staging to production": an environment deployed to another is a promotion. */
function promotionInstead(s: string, verb: RegExp, time: { at?: string; nextWindow?: true } | undefined): Intent | undefined {
  const object = objectWords(s, verb).filter((w) => !/^(?:the|our|what|is|in)$/i.test(w));
  const m = verb.exec(s);
  const next = m ? words(s.slice(m.index + m[0].length)).find((w) => !/^(?:the|our|what|is|in)$/i.test(w)) : undefined;
  if (object.length > 0 || next === undefined || !isEnvWord(next)) return undefined;
  const { from, to } = promotionSides(s);
  if (from === undefined || to === undefined) return undefined;
  return { kind: 'promote', from, to, ...(time?.at !== undefined ? { at: time.at } : {}), ...(time?.nextWindow ? { nextWindow: true } : {}) };
}

const REVIEW_VERB = command('review|reviewing|re-review|assess|audit|evaluate|critique|look over|check over|go over|go through|sanity check');
/** "is PR #12 safe to merge?", "is it safe to deploy production-2026…?" */
const SAFE_QUESTION = /\b(?:safe|ok|okay|ready|risky|good) (?:to|for) (?:deploy|merge|ship|release|promote|go|approve)\w*\b/i;
const LATEST_DEPLOYMENT = /\b(?:last|latest|newest|most recent|current|pending|waiting|queued) (?:\w+ )?(?:deployment|deploy|release)\b/i;

const review: IntentRule = {
  name: 'review',
  match: (t) => {
    const s = t.s;
    const pr = pullRequestNumber(s);
    const asked =
      REVIEW_VERB.test(s) || (SAFE_QUESTION.test(s) && (pr ?? deploymentId(s) ?? namedRef(s)) !== undefined) || (pr !== undefined && QUESTION.test(s));
    if (!asked) return undefined;
    const id = deploymentId(s);
    const target = pr ?? id ?? namedRef(s) ?? commitRef(s);
    const environment = environmentOf(s);
    if (
      target === undefined &&
      /\b(?:tables?|columns?|schema|database|db|layers?|indexes|sql|code)\b/i.test(s) &&
      !/\b(?:plan|deploy\w*|release|change)\b/i.test(s)
    )
      return undefined;
    const latest = target === undefined && LATEST_DEPLOYMENT.test(s);
    return {
      kind: 'review',
      ...(target !== undefined ? { target } : {}),
      ...(latest ? { latestDeployment: true } : {}),
      ...(environment !== undefined && id === undefined ? { environment } : {}),
    };
  },
};

const PROMOTE_VERB = command('promote|promoting');

const promote: IntentRule = {
  name: 'promote',
  match: (t) => {
    if (!PROMOTE_VERB.test(t.s) || !acting(t.s)) return undefined;
    const two = compound(t.s, PROMOTE_VERB);
    if (two) return two;
    const time = timePhrase(t.s);
    const s = time?.rest ?? t.s;
    const strange = strangeObject(objectWords(s, PROMOTE_VERB));
    if (strange.length > 0)
      return unknown(
        `a promotion brings all of one environment's layers and services to the next, not "${strange.join(' ')}" alone; to move one layer, add it to the target environment as a proposal`,
      );
    const { from, to } = promotionSides(s);
    return {
      kind: 'promote',
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(time?.at !== undefined ? { at: time.at } : {}),
      ...(time?.nextWindow ? { nextWindow: true } : {}),
    };
  },
};

const DEPLOY_VERB = command('deploy|deploying|redeploy|release|ship|roll ?out|rollout|go live(?: with)?|apply');
const SCHEDULE_VERB = command('schedule|scheduling|reschedule|book');
/** A scheduled thing is a deployment: said, or implied by a migration, a ref or an environment right after the verb. */
const DEPLOYMENT_OBJECT = /\b(?:deploy\w*|release|rollout|roll out|migrations?|promotion|it|this|that)\b/i;

/** What a deploy or schedule names: a migration, else a ref; and the environment. */
function deploymentTarget(s: string): { environment?: string; ref?: string; migration?: string } {
  const environment = environmentOf(s);
  const migration = migrationRef(s);
  const ref = migration === undefined ? (namedRef(s) ?? commitRef(s) ?? /\b(?:deploy|release|ship) (main|master|trunk|develop)\b/i.exec(s)?.[1]) : undefined;
  return { ...(environment !== undefined ? { environment } : {}), ...(ref !== undefined ? { ref } : {}), ...(migration !== undefined ? { migration } : {}) };
}

const schedule: IntentRule = {
  name: 'schedule',
  match: (t) => {
    if (!acting(t.s)) return undefined;
    const scheduled = SCHEDULE_VERB.test(t.s);
    const time = timePhrase(t.s);
    // "deploy to staging tomorrow 09:30": a deployment with a time is a scheduled one; "…next week" too, and the planner asks when exactly.
    if (!scheduled && !(DEPLOY_VERB.test(t.s) && (time?.at !== undefined || time?.unclear !== undefined))) return undefined;
    const two = compound(t.s, scheduled ? SCHEDULE_VERB : DEPLOY_VERB);
    if (two) return two;
    const s = time?.rest ?? t.s;
    const promotion = scheduled ? undefined : promotionInstead(s, DEPLOY_VERB, time);
    if (promotion) return promotion;
    const target = deploymentTarget(s);
    if (scheduled && !DEPLOYMENT_OBJECT.test(s) && target.ref === undefined && target.environment === undefined) return undefined;
    if (!scheduled) {
      const strange = strangeObject(objectWords(s, DEPLOY_VERB));
      if (strange.length > 0 && target.migration === undefined && target.ref === undefined) return deployingALayer(strange);
    }
    // "in the next window" with no time: a deployment waits for the policy's window by itself.
    if (time?.at === undefined && time?.nextWindow) return { kind: 'deploy', ...target };
    return { kind: 'schedule', ...target, ...(time?.at !== undefined ? { at: time.at } : {}), ...(time?.nextWindow ? { nextWindow: true } : {}) };
  },
};

const deployingALayer = (strange: readonly string[]): Intent =>
  unknown(
    `a deployment deploys a commit (every change in it), not "${strange.join(' ')}" alone; say "deploy to staging", or name a branch, commit or migration ("deploy migration 003 to staging")`,
  );

const deploy: IntentRule = {
  name: 'deploy',
  match: (t) => {
    if (!DEPLOY_VERB.test(t.s) || !acting(t.s)) return undefined;
    const two = compound(t.s, DEPLOY_VERB);
    if (two) return two;
    // "in the next window": a deployment waits for the policy's window by itself.
    const time = timePhrase(t.s);
    const s = time?.rest ?? t.s;
    const promotion = promotionInstead(s, DEPLOY_VERB, time);
    if (promotion) return promotion;
    const target = deploymentTarget(s);
    const strange = strangeObject(objectWords(s, DEPLOY_VERB));
    if (strange.length > 0 && target.migration === undefined && target.ref === undefined) return deployingALayer(strange);
    return { kind: 'deploy', ...target };
  },
};

const ROLLBACK_VERB = command('roll ?back|roll-back|rollback|revert|reverting|undo|go back');
/** "the rollback policy", "a rollback plan": the noun, asked about. */
const ROLLBACK_NOUN =
  /\b(?:rollback|roll ?back|revert) (?:policy|policies|plan|plans|path|paths|strategy|procedure|process|steps?|window|script|options?|rules?|history|record|records|section|tests?)\b/i;
/** Rollback without "roll back" (revert, undo) needs to say it is about a deployment, not a commit in git. */
const ABOUT_DEPLOYMENTS = /\b(?:deploy\w*|release|rollout)\b/i;

const rollback: IntentRule = {
  name: 'rollback',
  match: (t) => {
    const s = t.s;
    if (!ROLLBACK_VERB.test(s) || QUESTION.test(s) || /\b(?:would|if|happens?|preview)\b/i.test(s) || ROLLBACK_NOUN.test(s)) return undefined;
    const two = compound(s, ROLLBACK_VERB);
    if (two) return two;
    const strange = strangeObject(objectWords(s, ROLLBACK_VERB));
    if (strange.length > 0)
      return unknown(
        `a rollback returns a whole environment to an earlier deployment, not "${strange.join(' ')}" alone; say "roll back production", or propose the change that undoes it`,
      );
    const environment = environmentOf(s);
    const rolls = /\broll ?-?back\b/i.test(s);
    if (!rolls && environment === undefined && !ABOUT_DEPLOYMENTS.test(s) && deploymentId(s) === undefined) return undefined;
    // What comes after "to" is where to go back to; a deployment named without "to" is the one undone.
    const after = /\b(?:to|back to|until|as of|at) (.*)$/i.exec(s)?.[1] ?? '';
    const toDeployment = deploymentId(after);
    const toCommit = toDeployment === undefined ? commitRef(after) : undefined;
    return {
      kind: 'rollback',
      ...(environment !== undefined ? { environment } : {}),
      ...(toDeployment !== undefined ? { toDeployment } : {}),
      ...(toCommit !== undefined ? { toCommit } : {}),
    };
  },
};

const RESTORE_VERB = command('restore|restoring|recover|rebuild|disaster recovery');
const RESTORE_OBJECT = /\b(?:backups?|database|db|data|environment|env|everything|configuration|config|snapshot)\b/i;
const CONFIG_ONLY =
  /\b(?:config(?:uration)? only|only (?:the )?config(?:uration)?|without (?:the )?(?:database|data|db)|not the (?:database|data|db)|keep(?:ing)? the (?:database|data|db))\b/i;

const restore: IntentRule = {
  name: 'restore',
  match: (t) => {
    const s = t.s;
    if (!RESTORE_VERB.test(s) || !acting(s)) return undefined;
    const two = compound(s, RESTORE_VERB);
    if (two) return two;
    const environment = environmentOf(s);
    if (environment === undefined && !RESTORE_OBJECT.test(s)) return undefined;
    const backupId = /\bbackup (?:id |called |named )?([\w.:-]*\d[\w.:-]*)/i.exec(s)?.[1];
    const commit = commitRef(s);
    return {
      kind: 'restore',
      ...(environment !== undefined ? { environment } : {}),
      ...(backupId !== undefined ? { backupId } : {}),
      ...(commit !== undefined ? { commit } : {}),
      ...(CONFIG_ONLY.test(s) ? { includeDatabase: false as const } : {}),
    };
  },
};

/** The rules after the refusals, in the order they are tried: a review before everything (it names deployments and refs), a promotion or a schedule before a plain deployment. */
export const OPERATION_RULES: readonly IntentRule[] = [review, promote, schedule, deploy, rollback, restore];
