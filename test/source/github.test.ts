import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HonuaError } from '../../src/errors/index.js';
import { compareUrl, gitExec, GitHubClient, type GitHubClientOptions, parseRemoteUrl, resolveGitHubTarget } from '../../src/source/index.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github-server.js';
import { gitInit, tempDir, writeFiles } from '../helpers/repo.js';

// Pull requests through the real Octokit against a local server speaking GitHub's REST API (test/helpers/fake-github-server.ts).
const TOKEN = 'ghp_FAKEtoken0123456789abcdefABCDEF012345';
const OWNER = 'city-gis';
const REPO = 'honua-config';
const PUSHED = 'feature/add-transit-routes-layer';

describe('parseRemoteUrl', () => {
  const gh = (host: string, owner: string, repo: string, webUrl = `https://${host}/${owner}/${repo}`) => ({ host, owner, repo, provider: 'github', webUrl });
  it.each([
    ['https://github.com/city-gis/honua-config.git', gh('github.com', 'city-gis', 'honua-config')],
    ['https://github.com/city-gis/honua-config', gh('github.com', 'city-gis', 'honua-config')],
    ['https://x-access-token:ghs_secret@github.com/city-gis/honua-config.git', gh('github.com', 'city-gis', 'honua-config')],
    ['git@github.com:city-gis/honua-config.git', gh('github.com', 'city-gis', 'honua-config')],
    ['ssh://git@github.com:22/city-gis/honua-config.git', gh('github.com', 'city-gis', 'honua-config')],
    ['ssh://git@ssh.github.com:443/city-gis/honua-config.git', gh('github.com', 'city-gis', 'honua-config')],
    ['https://github.example.com:8443/gis/config.git', gh('github.example.com:8443', 'gis', 'config')],
    ['git@GitHub.Example.com:gis/config', gh('github.example.com', 'gis', 'config')],
    ['https://gitlab.com/group/sub/honua-config.git', { host: 'gitlab.com', owner: 'group/sub', repo: 'honua-config', provider: 'gitlab' }],
    ['git@gitlab.city.org:group/sub/cfg.git', { host: 'gitlab.city.org', owner: 'group/sub', repo: 'cfg', provider: 'gitlab' }],
    ['git@bitbucket.org:team/cfg.git', { host: 'bitbucket.org', owner: 'team', repo: 'cfg', provider: 'bitbucket', webUrl: 'https://bitbucket.org/team/cfg' }],
    ['https://git.city.org/gis/cfg.git', { host: 'git.city.org', owner: 'gis', repo: 'cfg', provider: 'other' }],
    ['/srv/git/honua-config.git', undefined],
    ['../honua-config', undefined],
    ['file:///srv/git/honua-config.git', undefined],
    ['C:/git/honua-config', undefined],
    ['https://github.com/only-owner', undefined],
  ])('%s', (url, expected) => {
    const parsed = parseRemoteUrl(url);
    if (expected === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject(expected);
    expect(JSON.stringify(parsed ?? {})).not.toMatch(/secret|access-token/);
  });
});

describe('compareUrl', () => {
  it.each([
    ['git@github.com:o/r.git', 'https://github.com/o/r/compare/main...feature/a%20b?expand=1'],
    [
      'git@gitlab.com:g/s/r.git',
      'https://gitlab.com/g/s/r/-/merge_requests/new?merge_request%5Bsource_branch%5D=feature%2Fa%20b&merge_request%5Btarget_branch%5D=main',
    ],
    ['git@bitbucket.org:o/r.git', 'https://bitbucket.org/o/r/pull-requests/new?source=feature%2Fa%20b&dest=main'],
    ['https://git.city.org/o/r.git', undefined],
  ])('%s', (remote, expected) => {
    expect(compareUrl(parseRemoteUrl(remote)!, 'main', 'feature/a b')).toBe(expected);
  });
});

describe('resolveGitHubTarget', () => {
  const origin = 'git@github.com:city-gis/honua-config.git';
  it.each([
    ['origin on github.com', {}, {}, origin, { apiUrl: 'https://api.github.com', owner: 'city-gis', source: { apiUrl: 'origin', repo: 'origin' } }],
    ['origin on Enterprise', {}, {}, 'https://github.city.org/gis/cfg.git', { apiUrl: 'https://github.city.org/api/v3', owner: 'gis', repo: 'cfg' }],
    [
      'GITHUB_API_URL over origin',
      {},
      { GITHUB_API_URL: 'https://ghe.local/api/v3/' },
      origin,
      { apiUrl: 'https://ghe.local/api/v3', source: { apiUrl: 'env' } },
    ],
    [
      'flag over GITHUB_API_URL',
      { apiUrl: 'http://127.0.0.1:9999' },
      { GITHUB_API_URL: 'https://ghe.local/api/v3' },
      origin,
      { apiUrl: 'http://127.0.0.1:9999', source: { apiUrl: 'flag' } },
    ],
    [
      '--github-repo when origin is not GitHub',
      { repo: 'o/r' },
      { GITHUB_REPOSITORY: 'x/y' },
      '/srv/git/cfg.git',
      { owner: 'o', repo: 'r', source: { apiUrl: 'default', repo: 'flag' } },
    ],
    ['GITHUB_REPOSITORY without origin', {}, { GITHUB_REPOSITORY: 'x/y' }, undefined, { owner: 'x', repo: 'y', source: { repo: 'env' } }],
    ['GITHUB_TOKEN first', {}, { GITHUB_TOKEN: 'a', GH_TOKEN: 'b' }, origin, { token: 'a', source: { token: 'GITHUB_TOKEN' } }],
    ['GH_TOKEN fallback', {}, { GITHUB_TOKEN: '', GH_TOKEN: 'b' }, origin, { token: 'b', source: { token: 'GH_TOKEN' } }],
  ])('%s', (_name, flags, env, originUrl, expected) => {
    expect(resolveGitHubTarget({ flags, env, ...(originUrl === undefined ? {} : { originUrl }) })).toMatchObject(expected);
  });

  it('has no token when neither variable is set', () => {
    expect(resolveGitHubTarget({ flags: {}, env: {}, originUrl: origin }).token).toBeUndefined();
  });

  it.each([
    ['nothing names a repository', {}, {}, '/srv/git/cfg.git', 'no-github-remote', /--github-repo/],
    ['a repository that is not OWNER/NAME', { repo: 'github.com/o/r' }, {}, undefined, 'bad-argument', /OWNER\/NAME/],
    ['plain http to another host', { apiUrl: 'http://ghe.city.org/api/v3' }, {}, origin, 'bad-argument', /unencrypted/],
    ['a URL that is not http(s)', {}, { GITHUB_API_URL: 'ftp://ghe.city.org' }, origin, 'bad-argument', /https/],
  ])('refuses %s', (_name, flags, env, originUrl, code, hint) => {
    const run = () => resolveGitHubTarget({ flags, env, ...(originUrl === undefined ? {} : { originUrl }) });
    expect(run).toThrow(expect.objectContaining({ code }));
    try {
      run();
    } catch (error) {
      expect(`${(error as HonuaError).message} ${(error as HonuaError).hint}`).toMatch(hint);
    }
  });
});

describe('GitHubClient against a fake GitHub', () => {
  let bare: string;
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  beforeAll(async () => {
    // A real push: the fake sees the branches of this bare repository.
    const work = await tempDir();
    bare = path.join(await tempDir(), 'origin.git');
    await writeFiles(work, { 'README.md': 'config\n' });
    await gitInit(work);
    await gitExec(work, ['init', '--bare', '--quiet', bare]);
    await gitExec(work, ['branch', PUSHED]);
    await gitExec(work, ['push', '--quiet', bare, 'main', PUSHED]);
  });

  const start = async (): Promise<FakeGitHub> => (fake = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO, bareRepo: bare }));
  const client = (f: FakeGitHub, options: Partial<GitHubClientOptions> = {}) =>
    new GitHubClient({ apiUrl: f.url, owner: OWNER, repo: REPO, token: TOKEN, ...options });
  const pr = { head: PUSHED, base: 'main', title: 'Add the transit routes layer', body: 'Plan: 1 layer added.\n\nRisk: HIGH', labels: ['honua', 'risk:high'] };

  /** Runs `action` expecting a HonuaError, and checks no text of it carries the token. */
  const failure = async (action: Promise<unknown>): Promise<HonuaError> => {
    const error = await action.then(
      () => expect.fail('expected a failure'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HonuaError);
    const e = error as HonuaError;
    expect([e.message, e.hint, JSON.stringify(e), String(e.cause), JSON.stringify(e.data)].join('\n')).not.toContain(TOKEN);
    return e;
  };

  it('opens a pull request with its labels created, coloured and attached', async () => {
    const f = await start();
    const github = client(f);
    expect(await github.defaultBranch()).toBe('main');
    const opened = await github.openPullRequest(pr);
    expect(opened).toEqual({ number: 1, url: f.pulls[0]!.html_url, labels: ['honua', 'risk:high'], warnings: [] });
    expect(f.pulls[0]).toMatchObject({ title: pr.title, body: pr.body, base: { ref: 'main' }, head: { ref: PUSHED } });
    expect(f.labels.map((l) => [l.name, l.color])).toEqual([
      ['honua', '5319e7'],
      ['risk:high', 'd93f0b'],
    ]);
    expect(f.requests.every((r) => r.headers.authorization === `token ${TOKEN}` && String(r.headers['user-agent']).startsWith('honua '))).toBe(true);
    expect(await github.pullRequest(1)).toMatchObject({ number: 1, body: pr.body, state: 'open', draft: false, head: { ref: PUSHED, sha: /^[0-9a-f]{40}$/ } });
  });

  it('names the open pull request when one exists for the branch', async () => {
    const f = await start();
    const first = await client(f).openPullRequest(pr);
    const e = await failure(client(f).openPullRequest(pr));
    expect(e).toMatchObject({ code: 'pull-request-exists', data: { number: first.number, url: first.url } });
    expect(e.message).toContain(first.url);
    expect(f.labels).toHaveLength(2);
  });

  it('keeps the pull request and warns when the token may not manage labels', async () => {
    const f = await start();
    const forbidLabels: typeof fetch = (input, init) =>
      /\/labels/.test(String(input)) ? answer(403, { message: 'Resource not accessible by personal access token' })(input, init) : fetch(input, init);
    const opened = await client(f, { fetch: forbidLabels }).openPullRequest(pr);
    expect(opened).toMatchObject({ number: 1, labels: [], warnings: [expect.stringMatching(/may not manage labels.*honua, risk:high/)] });
  });

  it('posts a review comment', async () => {
    const f = await start();
    await client(f).openPullRequest(pr);
    const { url } = await client(f).postReviewComment(1, 'Honua plan: no breaking changes.');
    expect(f.reviews).toMatchObject([{ pull_number: 1, event: 'COMMENT', body: 'Honua plan: no breaking changes.', html_url: url }]);
  });

  it.each([
    [
      'a head branch that was not pushed',
      (f: FakeGitHub) => client(f).openPullRequest({ ...pr, head: 'feature/never-pushed' }),
      'github-not-found',
      /feature\/never-pushed is not on GitHub.*push it/,
    ],
    ['an unknown repository', (f: FakeGitHub) => client(f, { repo: 'nope' }).defaultBranch(), 'github-not-found', /city-gis\/nope does not exist/],
    ['an unknown pull request', (f: FakeGitHub) => client(f).pullRequest(404), 'unknown-pull-request', /#404/],
    ['a comment on an unknown pull request', (f: FakeGitHub) => client(f).postReviewComment(7, 'x'), 'unknown-pull-request', /#7/],
    [
      'a spent rate limit',
      (f: FakeGitHub) => (f.rateLimit(1_900_000_000), client(f).defaultBranch()),
      'github-rate-limited',
      /resets at 2030-03-17T17:46:40.000Z/,
    ],
    [
      'no token to write with',
      (f: FakeGitHub) => client(f, { token: undefined }).openPullRequest(pr),
      'no-github-token',
      /no GitHub token to open a pull request/,
    ],
    [
      'a secondary rate limit',
      (f: FakeGitHub) => client(f, { fetch: secondary, now: () => Date.UTC(2030, 0, 1) }).defaultBranch(),
      'github-rate-limited',
      /resets at 2030-01-01T00:01:00.000Z/,
    ],
    [
      'GitHub failing',
      (f: FakeGitHub) => client(f, { fetch: answer(502, { message: 'Server Error' }) }).defaultBranch(),
      'github-error',
      /answered 502.*Server Error/,
    ],
    ['no server', async (f: FakeGitHub) => (await f.close(), client(f).defaultBranch()), 'github-error', /could not reach GitHub at http:\/\/127\.0\.0\.1/],
    ['no answer in time', (f: FakeGitHub) => client(f, { timeoutMs: 50, fetch: hang }).defaultBranch(), 'github-error', /did not answer in time/],
  ])('reports %s', async (_name, action, code, message) => {
    const e = await failure(action(await start()));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    if (code === 'github-rate-limited') expect(e.message).toContain(`resets at ${String(e.data.resetAt)}`);
  });

  it('reports a bad token without ever repeating it', async () => {
    const f = await start();
    const wrong = 'ghp_WRONGtoken0000000000000000000000000';
    const e = await failure(client(f, { token: wrong }).defaultBranch());
    expect(f.requests[0]!.headers.authorization).toBe(`token ${wrong}`);
    expect(e).toMatchObject({ code: 'github-unauthorized', message: expect.stringMatching(/401 Bad credentials\) for city-gis\/honua-config at http/) });
    expect([e.message, e.hint, JSON.stringify(e), String(e.cause), JSON.stringify(e.data)].join('\n')).not.toContain(wrong);
    expect(e.hint).toMatch(/GITHUB_TOKEN.*GH_TOKEN.*`repo`.*Pull requests: write/);
  });
});

/** A fetch that answers every request with this status and body, as GitHub would. */
const answer =
  (status: number, body: object, headers: Record<string, string> = {}): typeof fetch =>
  () =>
    Promise.resolve(Response.json({ documentation_url: 'https://docs.github.com/rest', ...body }, { status, headers }));

const secondary = answer(
  403,
  { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
  { 'retry-after': '60' },
);

/** A fetch that never answers, but gives up when its signal aborts (as fetch does). */
const hang: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error), { once: true }));
