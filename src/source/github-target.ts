import { HonuaError, UsageError } from '../errors/index.js';
import { parseRemoteUrl, redactRemoteUrl } from './git-remote-url.js';

/**
 * Which GitHub repository a pull request goes to, through which API, with which token — each
 * from the first place that names it, and where that was (so a command can say why it talks to
 * the server it talks to):
 *
 * - the API: `--github-api-url`, else `GITHUB_API_URL` (set by GitHub Actions, also on
 *   Enterprise), else the origin's host (github.com → https://api.github.com, a GitHub
 *   Enterprise host → https://HOST/api/v3), else https://api.github.com;
 * - the repository: the `origin` remote when it is on GitHub, else `--github-repo OWNER/NAME`,
 *   else `GITHUB_REPOSITORY` (also set by Actions);
 * - the token: `GITHUB_TOKEN`, else `GH_TOKEN` (the gh CLI's). No token is not an error here:
 *   reading a public repository needs none, and the caller knows whether it writes.
 *
 * The token goes to the API URL in a header, so the URL must be https; plain http is allowed
 * only to this machine (a local test server), never across a network.
 */
export interface GitHubTargetInput {
  flags: { apiUrl?: string; repo?: string };
  env: NodeJS.ProcessEnv;
  /** `git remote get-url origin`, when there is an origin. */
  originUrl?: string;
}

export interface GitHubTarget {
  /** Without a trailing slash. */
  apiUrl: string;
  owner: string;
  repo: string;
  token?: string;
  source: {
    apiUrl: 'flag' | 'env' | 'origin' | 'default';
    repo: 'origin' | 'flag' | 'env';
    token?: 'GITHUB_TOKEN' | 'GH_TOKEN';
  };
}

const PUBLIC_API = 'https://api.github.com';

/** GitHub's own limits, a little wider for Enterprise (whose managed users' names have `_`). */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

const present = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

export function resolveGitHubTarget(input: GitHubTargetInput): GitHubTarget {
  const { flags, env } = input;
  const origin = input.originUrl === undefined ? undefined : parseRemoteUrl(input.originUrl);
  const onGitHub = origin?.provider === 'github' ? origin : undefined;

  let repoSource: GitHubTarget['source']['repo'];
  let owner: string;
  let repo: string;
  if (onGitHub) {
    ({ owner, repo } = onGitHub);
    repoSource = 'origin';
  } else {
    const flag = present(flags.repo);
    const named = flag ?? present(env.GITHUB_REPOSITORY);
    if (named === undefined) {
      const where =
        input.originUrl === undefined ? 'there is no origin remote' : `the origin remote (${redactRemoteUrl(input.originUrl)}) is not a GitHub repository`;
      throw new HonuaError('no-github-remote', `no GitHub repository to open the pull request on: ${where}`, {
        hint: 'Name it with --github-repo OWNER/NAME (and --github-api-url https://HOST/api/v3 for GitHub Enterprise), or set GITHUB_REPOSITORY.',
      });
    }
    repoSource = flag ? 'flag' : 'env';
    [owner, repo] = splitRepo(named, flag ? '--github-repo' : 'GITHUB_REPOSITORY');
  }

  const flagApi = present(flags.apiUrl);
  const envApi = present(env.GITHUB_API_URL);
  const [apiUrl, apiSource]: [string, GitHubTarget['source']['apiUrl']] = flagApi
    ? [checkApiUrl(flagApi, '--github-api-url'), 'flag']
    : envApi
      ? [checkApiUrl(envApi, 'GITHUB_API_URL'), 'env']
      : onGitHub
        ? [onGitHub.host === 'github.com' ? PUBLIC_API : `https://${onGitHub.host}/api/v3`, 'origin']
        : [PUBLIC_API, 'default'];

  const githubToken = present(env.GITHUB_TOKEN);
  const ghToken = present(env.GH_TOKEN);
  const token = githubToken ?? ghToken;
  return {
    apiUrl,
    owner,
    repo,
    ...(token ? { token } : {}),
    source: { apiUrl: apiSource, repo: repoSource, ...(githubToken ? { token: 'GITHUB_TOKEN' as const } : ghToken ? { token: 'GH_TOKEN' as const } : {}) },
  };
}

function splitRepo(named: string, from: string): [string, string] {
  const parts = named.replace(/\.git$/, '').split('/');
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo || !OWNER.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') {
    throw new UsageError('bad-argument', `${from} must be OWNER/NAME (like octo-org/honua-config), not ${JSON.stringify(named)}`, {
      hint: 'Give the repository as GitHub shows it after github.com/, without the host.',
    });
  }
  return [owner, repo];
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The API base URL, refused unless the token it will carry stays encrypted or on this machine. */
function checkApiUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('bad-argument', `${from} is not a URL: ${JSON.stringify(redactRemoteUrl(value))}`, {
      hint: 'Give the API root, like https://api.github.com or https://github.example.com/api/v3.',
    });
  }
  if (url.username || url.password) {
    throw new UsageError('bad-argument', `${from} must not carry a user or password`, { hint: 'The token comes from GITHUB_TOKEN or GH_TOKEN.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError('bad-argument', `${from} must be an https URL, not ${url.protocol}`, {
      hint: 'Give the API root, like https://api.github.com or https://github.example.com/api/v3.',
    });
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new UsageError('bad-argument', `${from} is plain http to ${url.host}: the token would cross the network unencrypted`, {
      hint: 'Use https (plain http is accepted only for localhost, 127.0.0.1 and [::1]).',
    });
  }
  if (url.search || url.hash) {
    throw new UsageError('bad-argument', `${from} must be the API root, without a query or fragment`, {
      hint: 'Give the API root, like https://api.github.com or https://github.example.com/api/v3.',
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
