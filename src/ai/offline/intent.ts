/**
 * What a request to the offline planner asks for. The parser (parseIntent) turns free text into
 * one of these without a model; the planner then resolves the table phrase against the inspected
 * schema and calls tools. `table` is the phrase as the user wrote it ("the bike lanes table" →
 * "bike lanes"), not yet matched to a real table. Environments are canonical (prod → production);
 * times are written the way schedule_deployment reads them ("next-tuesday 10:00-12:00").
 */
export type Intent =
  /**
   * `serviceHint`: a word that may name the service without saying "service" ("in planning"); the planner checks it against the repository.
   * `pullRequest`: the request asked for a pull request too ("propose a layer…", "…and open a PR").
   */
  | { kind: 'add-layer'; table?: string; service?: string; serviceHint?: string; environments?: string[]; pullRequest?: true }
  | { kind: 'add-spatial-index'; table?: string; column?: string; pullRequest?: true }
  /** `schema` when the request names one ("what's in the transit schema?"); otherwise the whole database. */
  | { kind: 'describe-database'; schema?: string }
  | { kind: 'describe-table'; table: string }
  | { kind: 'validate'; environment?: string }
  | { kind: 'diff'; from?: string; to?: string }
  | { kind: 'plan'; environment?: string }
  | { kind: 'list-environments' }
  /** A pull request from a proposal branch that exists already; no branch named: the planner asks. */
  | { kind: 'open-pull-request'; branch?: string }
  /**
   * `target`: a deployment id, a branch, tag or commit, or a pull request ("#12"); `latestDeployment`: the newest deployment of `environment`.
   * Neither: HEAD, planned for `environment` (the tool's default when none).
   */
  | { kind: 'review'; target?: string; latestDeployment?: true; environment?: string }
  /** `from` or `to` missing: the environment before or after the other one, in the repository's order. `nextWindow`: move to the next allowed slot when `at` is outside the policy. */
  | { kind: 'promote'; from?: string; to?: string; at?: string; nextWindow?: true }
  /** `at` missing: the request named no time ("schedule a deployment to production"), and the planner asks when. */
  | { kind: 'schedule'; environment?: string; at?: string; ref?: string; migration?: string; nextWindow?: true }
  | { kind: 'deploy'; environment?: string; ref?: string; migration?: string }
  | { kind: 'rollback'; environment?: string; toDeployment?: string; toCommit?: string }
  /** `includeDatabase: false` only when the request says configuration only; the tool's default is to restore the database too. */
  | { kind: 'restore'; environment?: string; backupId?: string; commit?: string; includeDatabase?: false }
  /** One deployment by id, in full: its state and what comes next, its plan, its transitions, its checks. */
  | { kind: 'deployment'; id: string }
  /** No environment: every environment. */
  | { kind: 'status'; environment?: string }
  | { kind: 'history'; environment?: string; limit?: number; outcome?: 'failed' | 'succeeded' | 'waiting' }
  /** What failed and why: a deployment's incident report, or the newest failure (of `environment`, else of every environment). */
  | { kind: 'incident'; environment?: string; deployment?: string }
  | { kind: 'health'; environment?: string; layer?: string }
  | { kind: 'backups'; environment?: string }
  /**
   * A request the consultant never carries out, answered plainly with who can and how: approving
   * a deployment, or going around the policy (skipping the approval or the window, forcing,
   * disabling the policy). Never an actionable intent, whatever else the request asks.
   */
  | { kind: 'refuse'; refusal: 'approve' | 'bypass'; reason: string; environment?: string; deployment?: string }
  | { kind: 'help' }
  | { kind: 'unknown'; reason?: string };

export type IntentKind = Intent['kind'];
