import { countOf, deploymentId, environmentOf } from './operation-phrases.js';
import { GENERIC } from './vocabulary.js';
import type { IntentRule } from './intent-rule.js';

/**
 * The rules for questions about what runs in the environments: what failed and why, the
 * deployment history, status and sync, health, backups. They come after the change rules (so
 * "publish the deployment history table" stays a layer request) and before the questions about
 * the configuration and the database (so "show production's deployments" is not read as a table
 * named "production deployments").
 */

/** Words that ask about something that would happen: a plan, not a status. */
const WOULD = /\b(?:would|will|if|going to)\b/i;
const env = (s: string): { environment?: string } => {
  const environment = environmentOf(s);
  return environment !== undefined ? { environment } : {};
};

const incident: IntentRule = {
  name: 'incident',
  match: (t) => {
    const s = t.s;
    const asks =
      /\bincidents?\b|\bpost[- ]?mortem\b/i.test(s) ||
      /^(?:what|which)(?: \w+){0,3} (?:failed|fails|broke|went wrong|go wrong|got rolled back|was rolled back|were rolled back)\b/i.test(s) ||
      /^why\b.*\b(?:fail|failed|fails|failing|break|broke|broken|rolled back|roll back|rollback|go wrong|went wrong|revert|reverted)\b/i.test(s) ||
      /\b(?:last|latest|recent|newest) (?:\w+ )?(?:failure|failed deploy(?:ment)?|rollback)\b/i.test(s) ||
      /\b(?:explain|what happened (?:to|with|in))\b.*\b(?:fail\w*|rollback|rolled back)\b/i.test(s);
    if (!asks || WOULD.test(s)) return undefined;
    const deployment = deploymentId(s);
    return { kind: 'incident', ...env(s), ...(deployment !== undefined ? { deployment } : {}) };
  },
};

const deployment: IntentRule = {
  name: 'deployment',
  match: (t) => {
    const id = deploymentId(t.s);
    if (id === undefined || WOULD.test(t.s)) return undefined;
    const asks =
      /^(?:show|describe|display|details?|what|how|is|was|has|where|get|tell|status|follow|check|info|track|watch)\b/i.test(t.s) ||
      /\?$/.test(t.s) ||
      t.s === id;
    return asks ? { kind: 'deployment', id } : undefined;
  },
};

const DEPLOYMENTS = /\b(?:deployments|deploys|releases|rollouts|rollbacks)\b|\bdeploy(?:ment)? (?:history|log|logs|record|records)\b|\bhistory\b/i;
/** "the last deployment": the history, one long. */
const ONE_DEPLOYMENT = /\b(?:last|latest|newest|most recent|current|previous) (?:\w+ )?(?:deployment|deploy|release)\b/i;

const history: IntentRule = {
  name: 'history',
  match: (t) => {
    const s = t.s;
    // "since the last deploy" marks a point in time (a diff), not the deployment asked about.
    const one =
      !DEPLOYMENTS.test(s) &&
      ONE_DEPLOYMENT.test(s) &&
      !/\b(?:since|after|before|until|than) (?:the |our )?(?:last|latest|newest|most recent|current|previous)\b/i.test(s);
    if ((!DEPLOYMENTS.test(s) && !one) || WOULD.test(s)) return undefined;
    const asks =
      /^(?:show|list|display|give|get|see|view|print|tell|describe|what|which|how many|when|history|deployments|deploys|releases|recent|last|latest|any|are there|were there|has|have)\b/i.test(
        s,
      ) || /\b(?:history|log|recent|last|latest|past|previous)\b/i.test(s);
    // "history" alone ("the history table") is a name; it counts only about deployments or an environment.
    if (!asks || (!/\b(?:deployments|deploys|releases|rollouts|rollbacks|deploy(?:ment)?)\b/i.test(s) && environmentOf(s) === undefined)) return undefined;
    const limit = countOf(s) ?? (one ? 1 : undefined);
    const outcome = /\b(?:failed|failing|failures?|broken|rolled back|rollbacks)\b/i.test(s)
      ? 'failed'
      : /\b(?:successful|succeeded|completed|good|green|working)\b/i.test(s)
        ? 'succeeded'
        : /\b(?:waiting|pending|awaiting|queued|scheduled|blocked|stuck|open)\b/i.test(s)
          ? 'waiting'
          : undefined;
    return { kind: 'history', ...env(s), ...(limit !== undefined ? { limit } : {}), ...(outcome !== undefined ? { outcome } : {}) };
  },
};

const status: IntentRule = {
  name: 'status',
  match: (t) => {
    const s = t.s;
    if (WOULD.test(s)) return undefined;
    const asks =
      /\bstatus\b(?! codes?)/i.test(s) ||
      /\b(?:in sync|out of sync|synced|synchroni[sz]ed|up to date|up-to-date|behind head|behind main)\b/i.test(s) ||
      /^(?:what|which)\b.*\b(?:is|are)\b.*\b(?:running|deployed|live|active|serving|served)\b/i.test(s) ||
      /^(?:what|which) (?:commit|version|revision|release|sha|build)\b.*\b(?:in|on|at|of|to)\b/i.test(s) ||
      /^(?:where|what) is (?:it |everything )?(?:running|deployed)\b/i.test(s) ||
      /^how (?:is|are) (?:the |our )?\S+(?: environment| env)? (?:doing|going|looking)\b/i.test(s);
    return asks ? { kind: 'status', ...env(s) } : undefined;
  },
};

const health: IntentRule = {
  name: 'health',
  match: (t) => {
    const s = t.s;
    const asks =
      /\b(?:healthy|unhealthy|health|healthcheck|healthchecks|degraded)\b/i.test(s) ||
      /^(?:is|are) (?:the |our )?\S+(?: environment| env| layers?| site| server)? (?:up|down|working|serving|responding|alive|broken)\b/i.test(s);
    if (!asks || WOULD.test(s)) return undefined;
    const named = /\b(?:the )?([\w$-]+) layer\b/i.exec(s)?.[1] ?? /\blayer (?:called |named )?([\w$-]+)/i.exec(s)?.[1];
    const layer =
      named !== undefined && !GENERIC.has(named.toLowerCase()) && environmentOf(named) === undefined && !/^(?:each|every|all|any|which|what)$/i.test(named)
        ? named
        : undefined;
    return { kind: 'health', ...env(s), ...(layer !== undefined ? { layer } : {}) };
  },
};

const backups: IntentRule = {
  name: 'backups',
  match: (t) => {
    const s = t.s;
    if (!/\bbackups?\b/i.test(s)) return undefined;
    const asks =
      /^(?:show|list|display|give|get|see|view|what|which|when|how many|how old|is there|are there|do we have|have we|any|backups?|latest|last|newest)\b/i.test(
        s,
      ) || /\?$/.test(s);
    return asks ? { kind: 'backups', ...env(s) } : undefined;
  },
};

/** "the deployments table", "the incidents view": a name in the database, not a question about what runs. */
const NAMES_A_TABLE =
  /\b(?:deployments?|deploys|releases|history|backups?|incidents?|status|health|failures?)\s+(?:tables?|views?|layers?|columns?|fields?|schema)\b/i;
const aboutWhatRuns = (rule: IntentRule): IntentRule => ({ name: rule.name, match: (t) => (NAMES_A_TABLE.test(t.s) ? undefined : rule.match(t)) });

/** In the order they are tried: what failed before one deployment and the history (they name deployments too), the history before the status. */
export const ENVIRONMENT_RULES: readonly IntentRule[] = [incident, deployment, history, status, health, backups].map(aboutWhatRuns);
