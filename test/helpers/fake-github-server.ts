import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for GitHub's REST API, enough for Honua's pull requests: one repository,
 * its pull requests, labels and reviews, answered in GitHub's JSON shapes and headers, so the
 * real Octokit runs against it unchanged. Errors are GitHub's (`message` + `documentation_url`;
 * 422 "Validation Failed" with `errors: [{ resource, code, field?, message? }]`, as GitHub sends
 * for a pull request that exists already or a head branch it does not have).
 *
 * A branch exists when it is the default branch, in `branches`, or (with `bareRepo`) in that
 * bare repository — so a test can push with real git and the fake sees the branch. Every
 * request is recorded (headers lower-cased, body parsed). Listens on 127.0.0.1 only; nothing
 * waits in a loop (git, when asked, has a 10 s limit).
 */
export interface FakeGitHubOptions {
  token: string;
  owner: string;
  repo: string;
  /** Default 'main'. */
  defaultBranch?: string;
  /** A bare repository whose heads count as pushed branches. */
  bareRepo?: string;
  branches?: string[];
}

export interface FakeGitHubRequest {
  method: string;
  /** With the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeLabel {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface FakePull {
  id: number;
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  draft: boolean;
  html_url: string;
  url: string;
  head: { ref: string; sha: string; label: string };
  base: { ref: string; sha: string; label: string };
  labels: FakeLabel[];
  user: { login: string };
  merged: boolean;
  created_at: string;
  updated_at: string;
}

export interface FakeReview {
  id: number;
  pull_number: number;
  body: string;
  event: string;
  state: string;
  html_url: string;
}

export interface FakeGitHub {
  /** The API root to give Octokit: http://127.0.0.1:PORT */
  readonly url: string;
  readonly requests: FakeGitHubRequest[];
  readonly pulls: FakePull[];
  readonly labels: FakeLabel[];
  readonly reviews: FakeReview[];
  /** From now on every request answers 403 "API rate limit exceeded" until this time (epoch seconds); undefined lifts it. */
  rateLimit(untilEpochSeconds: number | undefined): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const LIMIT = 5000;

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const notFound = (doc = DOCS): Answer => ({ status: 404, body: { message: 'Not Found', documentation_url: doc, status: '404' } });
const validationFailed = (doc: string, ...errors: Array<{ resource: string; code: string; field?: string; message?: string }>): Answer => ({
  status: 422,
  body: { message: 'Validation Failed', errors, documentation_url: doc, status: '422' },
});
const fakeSha = (text: string): string => createHash('sha1').update(text).digest('hex');

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const { token, owner, repo } = options;
  const defaultBranch = options.defaultBranch ?? 'main';
  const requests: FakeGitHubRequest[] = [];
  const pulls: FakePull[] = [];
  const labels: FakeLabel[] = [];
  const reviews: FakeReview[] = [];
  let limitedUntil: number | undefined;
  let used = 0;
  let ids = 1000;
  let url = '';

  /** The branch's commit, or undefined when the repository does not have it. */
  const branchSha = async (branch: string): Promise<string | undefined> => {
    if (options.bareRepo) {
      const sha = await new Promise<string | undefined>((resolve) =>
        execFile(
          'git',
          ['--git-dir', options.bareRepo as string, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
          { timeout: 10_000 },
          (error, stdout) => resolve(error ? undefined : stdout.trim()),
        ),
      );
      if (sha) return sha;
    }
    return branch === defaultBranch || options.branches?.includes(branch) ? fakeSha(branch) : undefined;
  };

  const repoJson = () => ({
    id: 1,
    node_id: 'R_fake',
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: { login: owner, id: 2, type: 'Organization' },
    private: true,
    html_url: `${url}/${owner}/${repo}`,
    url: `${url}/repos/${owner}/${repo}`,
    default_branch: defaultBranch,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  });

  const findLabel = (name: string) => labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  const addLabel = (name: string, color = 'ededed', description: string | null = null): FakeLabel => {
    const id = ++ids;
    const label = {
      id,
      node_id: `LA_${id}`,
      url: `${url}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
      name,
      color,
      description,
      default: false,
    };
    labels.push(label);
    return label;
  };

  async function route(method: string, segments: string[], query: URLSearchParams, body: Record<string, unknown>): Promise<Answer> {
    const [root, o, r, ...rest] = segments;
    if (root !== 'repos' || o === undefined || r === undefined) return notFound();
    if (o.toLowerCase() !== owner.toLowerCase() || r.toLowerCase() !== repo.toLowerCase()) return notFound(`${DOCS}/repos/repos#get-a-repository`);
    const at = rest.join('/');
    const pull = (n: string | undefined) => pulls.find((p) => String(p.number) === n);

    if (method === 'GET' && at === '') return { status: 200, body: repoJson() };

    if (at === 'pulls' && method === 'GET') {
      const state = query.get('state') ?? 'open';
      const head = query.get('head');
      const base = query.get('base');
      const list = pulls.filter(
        (p) =>
          (state === 'all' || p.state === state) && (head === null || p.head.label === head || p.head.ref === head) && (base === null || p.base.ref === base),
      );
      return { status: 200, body: list };
    }

    if (at === 'pulls' && method === 'POST') {
      const doc = `${DOCS}/pulls/pulls#create-a-pull-request`;
      for (const field of ['title', 'head', 'base'] as const) {
        if (typeof body[field] !== 'string' || body[field] === '') return validationFailed(doc, { resource: 'PullRequest', code: 'missing_field', field });
      }
      const named = String(body.head);
      const head = named.toLowerCase().startsWith(`${owner.toLowerCase()}:`) ? named.slice(owner.length + 1) : named;
      const base = String(body.base);
      const [headSha, baseSha] = await Promise.all([branchSha(head), branchSha(base)]);
      if (!baseSha) return validationFailed(doc, { resource: 'PullRequest', field: 'base', code: 'invalid' });
      if (!headSha) return validationFailed(doc, { resource: 'PullRequest', field: 'head', code: 'invalid' });
      if (pulls.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === base)) {
        return validationFailed(doc, { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` });
      }
      const number = pulls.length + 1;
      const now = new Date().toISOString();
      const created: FakePull = {
        id: ++ids,
        number,
        state: 'open',
        title: String(body.title),
        body: typeof body.body === 'string' ? body.body : null,
        draft: body.draft === true,
        html_url: `${url}/${owner}/${repo}/pull/${number}`,
        url: `${url}/repos/${owner}/${repo}/pulls/${number}`,
        head: { ref: head, sha: headSha, label: `${owner}:${head}` },
        base: { ref: base, sha: baseSha, label: `${owner}:${base}` },
        labels: [],
        user: { login: 'honua-test-user' },
        merged: false,
        created_at: now,
        updated_at: now,
      };
      pulls.push(created);
      return { status: 201, body: created, headers: { location: created.url } };
    }

    if (rest[0] === 'pulls' && rest.length === 2 && method === 'GET') {
      const found = pull(rest[1]);
      return found ? { status: 200, body: found } : notFound(`${DOCS}/pulls/pulls#get-a-pull-request`);
    }

    if (rest[0] === 'pulls' && rest[2] === 'reviews' && rest.length === 3 && method === 'POST') {
      const found = pull(rest[1]);
      if (!found) return notFound(`${DOCS}/pulls/reviews#create-a-review-for-a-pull-request`);
      const event = typeof body.event === 'string' ? body.event : 'PENDING';
      const text = typeof body.body === 'string' ? body.body : '';
      if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && text === '') {
        return validationFailed(`${DOCS}/pulls/reviews#create-a-review-for-a-pull-request`, {
          resource: 'PullRequestReview',
          code: 'missing_field',
          field: 'body',
        });
      }
      const id = ++ids;
      const state = { COMMENT: 'COMMENTED', APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED' }[event] ?? 'PENDING';
      const review: FakeReview = { id, pull_number: found.number, body: text, event, state, html_url: `${found.html_url}#pullrequestreview-${id}` };
      reviews.push(review);
      return {
        status: 200,
        body: { id, node_id: `PRR_${id}`, user: { login: 'honua-test-user' }, body: text, state, html_url: review.html_url, commit_id: found.head.sha },
      };
    }

    if (at === 'labels' && method === 'GET') return { status: 200, body: labels };

    if (at === 'labels' && method === 'POST') {
      const doc = `${DOCS}/issues/labels#create-a-label`;
      if (typeof body.name !== 'string' || body.name === '') return validationFailed(doc, { resource: 'Label', code: 'missing_field', field: 'name' });
      if (findLabel(body.name)) return validationFailed(doc, { resource: 'Label', code: 'already_exists', field: 'name' });
      if (body.color !== undefined && (typeof body.color !== 'string' || !/^[0-9a-f]{6}$/i.test(body.color))) {
        return validationFailed(doc, { resource: 'Label', code: 'invalid', field: 'color' });
      }
      const label = addLabel(body.name, typeof body.color === 'string' ? body.color : 'ededed', typeof body.description === 'string' ? body.description : null);
      return { status: 201, body: label };
    }

    if (rest[0] === 'labels' && rest.length === 2 && method === 'GET') {
      const label = findLabel(rest[1] as string);
      return label ? { status: 200, body: label } : notFound(`${DOCS}/issues/labels#get-a-label`);
    }

    if (rest[0] === 'issues' && rest[2] === 'labels' && rest.length === 3 && method === 'POST') {
      const found = pull(rest[1]);
      if (!found) return notFound(`${DOCS}/issues/labels#add-labels-to-an-issue`);
      const names = Array.isArray(body.labels) ? body.labels : [];
      // GitHub creates a label that does not exist yet when it is added to an issue.
      for (const name of names.map(String)) {
        const label = findLabel(name) ?? addLabel(name);
        if (!found.labels.includes(label)) found.labels.push(label);
      }
      return { status: 200, body: found.labels };
    }

    if (rest[0] === 'git' && rest[1] === 'ref' && rest[2] === 'heads' && rest.length > 3 && method === 'GET') {
      const branch = rest.slice(3).join('/');
      const sha = await branchSha(branch);
      if (!sha) return notFound(`${DOCS}/git/refs#get-a-reference`);
      return {
        status: 200,
        body: {
          ref: `refs/heads/${branch}`,
          node_id: `REF_${branch}`,
          url: `${url}/repos/${owner}/${repo}/git/refs/heads/${branch}`,
          object: { sha, type: 'commit', url: `${url}/repos/${owner}/${repo}/git/commits/${sha}` },
        },
      };
    }
    return notFound();
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const method = req.method ?? 'GET';
        const target = new URL(req.url ?? '/', 'http://fake');
        let body: unknown = undefined;
        let answer: Answer | undefined;
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            body = raw;
            answer = { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
          }
        }
        requests.push({ method, path: req.url ?? '', headers: { ...req.headers }, body });
        used += 1;
        const resetAt = limitedUntil ?? Math.floor(Date.now() / 1000) + 3600;
        const limited = limitedUntil !== undefined;
        const presented = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];

        if (limited) {
          answer = {
            status: 403,
            body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`, status: '403' },
          };
        } else if (presented === undefined) {
          answer = { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS, status: '401' } };
        } else if (presented !== token) {
          answer = { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
        }
        answer ??= await route(
          method,
          target.pathname.split('/').filter(Boolean).map(decodeURIComponent),
          target.searchParams,
          typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
        );

        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'x-github-api-version-selected': '2022-11-28',
          'x-github-media-type': 'github.v3; format=json',
          'x-github-request-id': `FAKE:${String(requests.length).padStart(4, '0')}`,
          'x-ratelimit-limit': String(LIMIT),
          'x-ratelimit-remaining': limited ? '0' : String(Math.max(LIMIT - used, 0)),
          'x-ratelimit-reset': String(resetAt),
          'x-ratelimit-used': limited ? String(LIMIT) : String(used),
          'x-ratelimit-resource': 'core',
          ...answer.headers,
        };
        res.writeHead(answer.status, headers);
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `fake GitHub: ${error instanceof Error ? error.message : String(error)}` }));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    pulls,
    labels,
    reviews,
    rateLimit: (until) => void (limitedUntil = until),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve(); // closed already (a test of "no server" closes it early)
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
