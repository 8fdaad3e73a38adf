import { Octokit } from '@octokit/rest';
import { HonuaError } from '../errors/index.js';

/**
 * The few GitHub REST calls Honua makes — the default branch, open a pull request with its
 * labels, read one, comment on it — through Octokit, each failure turned into a HonuaError by
 * one function (`githubError`) with a code from the catalogue and a hint a person can act on.
 *
 * Contracts the callers rely on:
 * - The token never appears in a message, hint, data or cause. Octokit's RequestError carries
 *   the request (headers included), so it is never passed on: the cause is a fresh Error with
 *   the method, path, status and GitHub's message, and every text is scrubbed of the token.
 * - No retries and no waiting: @octokit/rest has neither the retry nor the throttling plugin,
 *   and a rate limit is reported with its reset time (`data.resetAt`) for the person to act on;
 *   Honua never sleeps on GitHub's clock.
 * - Every request ends within `timeoutMs` (default 30 s): Octokit 22 uses fetch and has no
 *   timeout of its own, so each fetch gets an AbortSignal.timeout.
 * - Octokit's request log is silenced: it prints every failed request (including the expected
 *   404 of a label that does not exist yet) to the console, and the errors here say it better.
 */
export interface GitHubClientOptions {
  /** The API root, without a trailing slash (resolveGitHubTarget). */
  apiUrl: string;
  owner: string;
  repo: string;
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The clock for rate-limit reset times given as `retry-after` seconds (default Date.now). */
  now?: () => number;
}

export interface OpenPullRequestInput {
  /** A branch of the repository itself (already pushed). */
  head: string;
  base: string;
  title: string;
  body: string;
  /** Created when missing (`honua` and `risk:*` with Honua's colours), then added to the pull request. */
  labels: readonly string[];
  draft?: boolean;
}

export interface OpenedPullRequest {
  number: number;
  /** The page a person opens (html_url). */
  url: string;
  /** The labels on the pull request once Honua added its own ([] when it could not). */
  labels: string[];
  /** What did not work but did not stop the pull request (labels the token may not manage). */
  warnings: string[];
}

export interface PullRequestInfo {
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  head: { ref: string; sha: string };
  base: { ref: string };
  draft: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Honua's labels get a colour and a description; other labels GitHub's default grey. */
const RISK_COLOURS: Record<string, string> = { low: '0e8a16', medium: 'fbca04', high: 'd93f0b', critical: 'b60205' };

export function labelStyle(name: string): { color: string; description?: string } {
  if (name === 'honua') return { color: '5319e7', description: 'A configuration change proposed by Honua' };
  const risk = /^risk:(.+)$/i.exec(name)?.[1];
  if (risk) return { color: RISK_COLOURS[risk.toLowerCase()] ?? 'c5def5', description: `Deployment risk from Honua's plan: ${risk.toUpperCase()}` };
  return { color: 'ededed' };
}

export class GitHubClient {
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly #octokit: Octokit;
  readonly #token: string | undefined;
  readonly #now: () => number;

  constructor(options: GitHubClientOptions) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#now = options.now ?? Date.now;
    const baseFetch = options.fetch ?? globalThis.fetch;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timedFetch: typeof fetch = (input, init) => {
      const timeout = AbortSignal.timeout(timeoutMs);
      return baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    };
    const quiet = (): void => undefined;
    this.#octokit = new Octokit({
      ...(options.token ? { auth: options.token } : {}),
      baseUrl: this.apiUrl,
      userAgent: 'honua',
      request: { fetch: timedFetch },
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.#call('read the repository', () => this.#octokit.rest.repos.get({ owner: this.owner, repo: this.repo }));
    return data.default_branch;
  }

  async openPullRequest(input: OpenPullRequestInput): Promise<OpenedPullRequest> {
    this.#requireToken('open a pull request');
    const { owner, repo } = this;
    let created: { number: number; html_url: string };
    try {
      ({ data: created } = await this.#octokit.rest.pulls.create({
        owner,
        repo,
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body,
        ...(input.draft === undefined ? {} : { draft: input.draft }),
      }));
    } catch (error) {
      throw await this.#createFailure(error, input);
    }
    const pull = { number: created.number, url: created.html_url };
    if (input.labels.length === 0) return { ...pull, labels: [], warnings: [] };
    try {
      return { ...pull, labels: await this.#label(created.number, input.labels), warnings: [] };
    } catch (error) {
      // The pull request exists whatever happens to its labels: a token that may open pull
      // requests but not manage labels (403) gets a warning; anything else still names the pull request.
      if (error instanceof HonuaError && error.code === 'github-forbidden') {
        return {
          ...pull,
          labels: [],
          warnings: [`the pull request was opened, but the token may not manage labels (${error.message}): add ${input.labels.join(', ')} by hand`],
        };
      }
      if (error instanceof HonuaError) {
        throw new HonuaError(error.code, `${error.message} (pull request #${pull.number} was opened without its labels: ${pull.url})`, {
          ...(error.hint ? { hint: error.hint } : {}),
          data: { ...error.data, pullRequest: pull },
          cause: error.cause,
          fault: error.fault,
        });
      }
      throw error;
    }
  }

  async pullRequest(number: number): Promise<PullRequestInfo> {
    const { data } = await this.#call(
      `read pull request #${number}`,
      () => this.#octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number }),
      {
        404: () => this.#unknownPull(number),
      },
    );
    return {
      number: data.number,
      url: data.html_url,
      title: data.title,
      body: data.body ?? '',
      state: data.state === 'closed' ? 'closed' : 'open',
      head: { ref: data.head.ref, sha: data.head.sha },
      base: { ref: data.base.ref },
      draft: data.draft ?? false,
    };
  }

  async postReviewComment(number: number, body: string): Promise<{ url: string }> {
    this.#requireToken('comment on a pull request');
    const { data } = await this.#call(
      `comment on pull request #${number}`,
      () => this.#octokit.rest.pulls.createReview({ owner: this.owner, repo: this.repo, pull_number: number, body, event: 'COMMENT' }),
      { 404: () => this.#unknownPull(number) },
    );
    return { url: data.html_url };
  }

  /** Makes sure each label exists (creating Honua's with their colours), then adds them all; returns the pull request's labels. */
  async #label(number: number, labels: readonly string[]): Promise<string[]> {
    const { owner, repo } = this;
    for (const name of labels) {
      const exists = await this.#call(`read the label ${name}`, () => this.#octokit.rest.issues.getLabel({ owner, repo, name }).then(() => true), {
        404: () => ({ value: false }),
      });
      if (exists) continue;
      // Another run may create it in between: 422 already_exists is as good as created.
      await this.#call(`create the label ${name}`, () => this.#octokit.rest.issues.createLabel({ owner, repo, name, ...labelStyle(name) }), {
        422: (failure) => (validationErrors(failure).some((e) => e.code === 'already_exists') ? { value: undefined } : undefined),
      });
    }
    const { data } = await this.#call(`label pull request #${number}`, () =>
      this.#octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels: [...labels] }),
    );
    return data.map((l) => l.name);
  }

  /** What a failed pulls.create means: an open pull request (looked up), a branch not pushed, or what githubError says. */
  async #createFailure(error: unknown, input: OpenPullRequestInput): Promise<unknown> {
    const failure = asFailure(error);
    if (!failure) return error;
    const { owner, repo } = this;
    const problems = failure.status === 422 ? validationErrors(failure) : [];
    if (problems.some((p) => /pull request already exists/i.test(p.message ?? ''))) {
      const { data: open } = await this.#call('look up the open pull request', () =>
        this.#octokit.rest.pulls.list({ owner, repo, head: `${owner}:${input.head}`, base: input.base, state: 'open' }),
      );
      const existing = open[0];
      return new HonuaError(
        'pull-request-exists',
        `a pull request from ${input.head} is open already${existing ? `: ${existing.html_url}` : ` on ${owner}/${repo}`}`,
        {
          hint: 'Push new commits to the branch to update that pull request, or close it first.',
          data: existing ? { number: existing.number, url: existing.html_url, head: input.head, base: input.base } : { head: input.head, base: input.base },
        },
      );
    }
    const invalid = problems.find((p) => p.code === 'invalid' && (p.field === 'head' || p.field === 'base'));
    if (invalid) {
      const head = invalid.field === 'head';
      const branch = head ? input.head : input.base;
      return new HonuaError(
        'github-not-found',
        head
          ? `the branch ${branch} is not on GitHub (${owner}/${repo}): push it before opening the pull request`
          : `the base branch ${branch} does not exist on ${owner}/${repo}`,
        {
          hint: head ? `Run git push origin ${branch}, then try again.` : `Name a branch that exists on ${owner}/${repo} (its default branch, usually).`,
          data: { branch, field: invalid.field, owner, repo },
          cause: this.#cause(failure),
        },
      );
    }
    return githubError(failure, this.#context('open the pull request'));
  }

  /**
   * Runs one Octokit call; a failure goes through `githubError`, except the statuses the caller
   * answers itself: with `{ value }` to return, a HonuaError to throw, or undefined to let
   * `githubError` decide after all.
   */
  async #call<T, U = never>(
    action: string,
    run: () => Promise<T>,
    answers: Partial<Record<number, (failure: OctokitFailure) => Answer<U>>> = {},
  ): Promise<T | U> {
    try {
      return await run();
    } catch (error) {
      const failure = asFailure(error);
      if (!failure) throw error;
      const answer = answers[failure.status]?.(failure);
      if (answer instanceof HonuaError) throw answer;
      if (answer) return answer.value;
      throw githubError(failure, this.#context(action));
    }
  }

  /** Writes need a token: say so before asking GitHub, whose answer (401, or 404 for a private repository) would say less. */
  #requireToken(action: string): void {
    if (this.#token) return;
    throw new HonuaError('no-github-token', `no GitHub token to ${action} on ${this.owner}/${this.repo} with`, {
      hint: 'Set GITHUB_TOKEN (or GH_TOKEN) to a token with the `repo` scope (classic) or "Pull requests: write" (fine-grained) on the repository.',
      data: { owner: this.owner, repo: this.repo },
    });
  }

  #unknownPull(number: number): HonuaError {
    return new HonuaError('unknown-pull-request', `no pull request #${number} in ${this.owner}/${this.repo} (or the token cannot see the repository)`, {
      hint: 'Check the number on the repository’s Pull requests page.',
      data: { number, owner: this.owner, repo: this.repo },
    });
  }

  #context(action: string): ErrorContext {
    return { action, owner: this.owner, repo: this.repo, apiUrl: this.apiUrl, token: this.#token, now: this.#now() };
  }

  #cause(failure: OctokitFailure): Error {
    return sanitizedCause(failure, this.#token);
  }
}

type Answer<U> = { value: U } | HonuaError | undefined;

/** The parts of Octokit's RequestError Honua reads (it is not imported: @octokit/request-error is not our dependency). */
interface OctokitFailure {
  status: number;
  message: string;
  name?: string;
  cause?: unknown;
  response?: { headers: Record<string, string | undefined>; data: unknown };
  request?: { method?: string; url?: string };
}

const asFailure = (error: unknown): OctokitFailure | undefined =>
  error instanceof Error && typeof (error as { status?: unknown }).status === 'number' ? (error as unknown as OctokitFailure) : undefined;

interface ValidationProblem {
  resource?: string;
  code?: string;
  field?: string;
  message?: string;
}

/** The `errors` of a 422 "Validation Failed" (objects, or plain strings on some endpoints). */
function validationErrors(failure: OctokitFailure): ValidationProblem[] {
  const errors = (failure.response?.data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => (typeof e === 'string' ? { message: e } : typeof e === 'object' && e !== null ? (e as ValidationProblem) : {}));
}

interface ErrorContext {
  action: string;
  owner: string;
  repo: string;
  apiUrl: string;
  token: string | undefined;
  now: number;
}

/** GitHub's own words: the body's `message` (and a 422's error messages), else Octokit's. */
function githubMessage(failure: OctokitFailure): string {
  const body = failure.response?.data as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : failure.message;
  const details = validationErrors(failure)
    .map((p) => p.message ?? [p.resource, p.field, p.code].filter(Boolean).join(' '))
    .filter(Boolean);
  return details.length > 0 ? `${message}: ${details.join('; ')}` : message;
}

const scrubber =
  (token: string | undefined) =>
  (text: string): string =>
    token && token.length >= 4 ? text.split(token).join('[REDACTED]') : text;

/** A cause fit to keep: method, path, status and GitHub's message — no headers, no body, no token. */
function sanitizedCause(failure: OctokitFailure, token: string | undefined): Error {
  const scrub = scrubber(token);
  let where = '';
  if (failure.request?.url) {
    try {
      where = `${failure.request.method ?? ''} ${new URL(failure.request.url).pathname} `;
    } catch {
      where = '';
    }
  }
  const cause = new Error(scrub(`${where}→ ${failure.response ? failure.status : 'no answer'}: ${githubMessage(failure)}`));
  cause.name = 'GitHubRequestError';
  return cause;
}

/** When a 403/429 is a rate limit (GitHub's troubleshooting guide), its reset time; else undefined. */
function rateLimitReset(failure: OctokitFailure, now: number): Date | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  const headers = failure.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  const primary = headers['x-ratelimit-remaining'] === '0';
  const secondary = /secondary rate limit|rate limit exceeded/i.test(githubMessage(failure));
  if (failure.status === 403 && retryAfter === undefined && !primary && !secondary) return undefined;
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return new Date(now + seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return new Date(date);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (primary && Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  // A secondary limit without headers: "wait for at least one minute" (GitHub's guide).
  return new Date(now + 60_000);
}

/** The one mapping from a failed GitHub call to a HonuaError; the token is scrubbed from every text. */
function githubError(failure: OctokitFailure, ctx: ErrorContext): HonuaError {
  const scrub = scrubber(ctx.token);
  const target = `${ctx.owner}/${ctx.repo}`;
  const said = scrub(githubMessage(failure));
  const requestId = failure.response?.headers['x-github-request-id'];
  const data: Record<string, unknown> = {
    // Octokit gives a failed fetch status 500 without a response; that is no status of GitHub's.
    ...(failure.response ? { status: failure.status } : {}),
    owner: ctx.owner,
    repo: ctx.repo,
    apiUrl: ctx.apiUrl,
    ...(requestId ? { requestId } : {}),
  };
  const cause = sanitizedCause(failure, ctx.token);

  if (!failure.response) {
    // The timeout aborts the fetch with a TimeoutError, which Octokit wraps like any failed fetch.
    const timedOut =
      failure.name === 'TimeoutError' || (failure.cause instanceof Error && failure.cause.name === 'TimeoutError') || /timeout|aborted/i.test(failure.message);
    return new HonuaError(
      'github-error',
      timedOut
        ? `GitHub at ${ctx.apiUrl} did not answer in time (trying to ${ctx.action})`
        : `could not reach GitHub at ${ctx.apiUrl} to ${ctx.action}: ${said}`,
      { hint: 'Check the network (and --github-api-url / GITHUB_API_URL for GitHub Enterprise), then try again.', data, cause },
    );
  }
  const reset = rateLimitReset(failure, ctx.now);
  if (reset) {
    const resetAt = reset.toISOString();
    return new HonuaError('github-rate-limited', `GitHub's rate limit is spent (${failure.status} ${said}); it resets at ${resetAt}`, {
      hint: `Try again after ${resetAt}. Honua does not wait on GitHub's clock.`,
      data: { ...data, resetAt },
      cause,
    });
  }
  switch (failure.status) {
    case 401:
      return new HonuaError('github-unauthorized', `GitHub refused the token (401 ${said}) for ${target} at ${ctx.apiUrl}`, {
        hint: 'Check GITHUB_TOKEN (or GH_TOKEN): it may be mistyped, expired or revoked. A classic token needs the `repo` scope; a fine-grained one "Pull requests: write" on the repository.',
        data,
        cause,
      });
    case 403: {
      const accepted = failure.response.headers['x-accepted-oauth-scopes'];
      const sso = failure.response.headers['x-github-sso'];
      return new HonuaError('github-forbidden', `GitHub does not let the token ${ctx.action} on ${target} (403 ${said})`, {
        hint: sso
          ? 'The organisation uses SAML single sign-on: authorize the token for it in GitHub’s token settings.'
          : 'Give the token the `repo` scope (classic) or "Pull requests: write" and "Issues: write" (fine-grained) on the repository.',
        data: { ...data, ...(accepted ? { acceptedScopes: accepted } : {}) },
        cause,
      });
    }
    case 404:
      return new HonuaError(
        'github-not-found',
        `the repository ${target} does not exist at ${ctx.apiUrl} or the token cannot see it (trying to ${ctx.action})`,
        {
          hint: 'Check the owner and name (origin, --github-repo or GITHUB_REPOSITORY); a private repository needs a token with access to it.',
          data,
          cause,
        },
      );
    default:
      return new HonuaError('github-error', `GitHub answered ${failure.status} to the request to ${ctx.action} on ${target}: ${said}`, {
        hint:
          failure.status >= 500
            ? 'GitHub had a problem; try again later (https://www.githubstatus.com).'
            : 'Read GitHub’s message above; the request was refused as it was.',
        data,
        cause,
      });
  }
}
