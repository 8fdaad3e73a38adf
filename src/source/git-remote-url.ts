/**
 * What a git remote URL says about where the repository is hosted: the host, the owner (a
 * user, an organisation, or GitLab's nested groups), the repository and the web address a
 * person opens. Git accepts three spellings of a remote (git-fetch(1), "GIT URLS"): a URL
 * (`https://`, `ssh://`, `git://`), the scp-like `user@host:path`, and a local path (or
 * `file://`). Local repositories have no host to open a pull request on, so they parse to
 * undefined, as does anything else that is not a repository on a host.
 *
 * A URL may carry credentials (`https://user:token@github.com/o/r.git`, as CI checkouts often
 * do); they are dropped here and never returned in any field, so whatever shows a parsed
 * remote cannot leak them.
 */
export type GitProvider = 'github' | 'gitlab' | 'bitbucket' | 'other';

export interface RemoteUrl {
  /** Lower-cased, with the port for http(s) remotes (`ghe.example.com:8443`); an SSH port is not the web's. */
  host: string;
  /** `octo`, or GitLab's `group/sub`. */
  owner: string;
  /** Without `.git`. */
  repo: string;
  provider: GitProvider;
  /** The repository's page: `https://HOST/OWNER/REPO` (http only when the remote itself is plain http). */
  webUrl: string;
}

/** Hosts whose SSH endpoint is not their web host (SSH over port 443). */
const WEB_HOST: Record<string, string> = { 'ssh.github.com': 'github.com', 'altssh.bitbucket.org': 'bitbucket.org' };

const URL_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:']);

export function parseRemoteUrl(url: string): RemoteUrl | undefined {
  const text = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return fromUrl(text);
  // scp-like: a colon before the first slash. A single letter before it is a Windows drive
  // (`C:/repo`), which git also reads as a local path.
  const scp = /^(?:[^@/]+@)?(\[[^\]]+\]|[^:/[\]]{2,}):(.+)$/.exec(text);
  if (scp) return fromParts(scp[1] as string, scp[2] as string, 'https:');
  return undefined;
}

function fromUrl(text: string): RemoteUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  if (!URL_SCHEMES.has(parsed.protocol) || parsed.hostname === '') return undefined;
  const web = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  return fromParts(web ? parsed.host : parsed.hostname, path, web ? parsed.protocol : 'https:');
}

function fromParts(rawHost: string, rawPath: string, protocol: string): RemoteUrl | undefined {
  const lower = rawHost.toLowerCase();
  const host = WEB_HOST[lower] ?? lower;
  const segments = rawPath
    .replace(/^~?\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/');
  if (segments.length < 2 || segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  const provider = providerOf(host);
  // GitHub and Bitbucket have exactly OWNER/REPO; GitLab (and unknown hosts) allow nested groups.
  if ((provider === 'github' || provider === 'bitbucket') && segments.length !== 2) return undefined;
  const repo = segments.pop() as string;
  const owner = segments.join('/');
  return { host, owner, repo, provider, webUrl: `${protocol}//${host}/${owner}/${repo}` };
}

function providerOf(host: string): GitProvider {
  const name = host.replace(/:\d+$/, '');
  if (name === 'github.com' || name.includes('github')) return 'github'; // GitHub Enterprise hosts are usually github.COMPANY
  if (name === 'gitlab.com' || name.includes('gitlab')) return 'gitlab';
  if (name === 'bitbucket.org') return 'bitbucket'; // Bitbucket Server's URLs have another shape
  return 'other';
}

/** A branch name in a URL path: each `/`-separated part encoded, the slashes kept. */
const pathBranch = (branch: string): string => branch.split('/').map(encodeURIComponent).join('/');

/**
 * Where a person opens the pull (merge) request from `head` into `base` by hand, or undefined
 * for hosts whose page Honua does not know.
 */
export function compareUrl(remote: RemoteUrl, base: string, head: string): string | undefined {
  const q = encodeURIComponent;
  switch (remote.provider) {
    case 'github':
      return `${remote.webUrl}/compare/${pathBranch(base)}...${pathBranch(head)}?expand=1`;
    case 'gitlab':
      return `${remote.webUrl}/-/merge_requests/new?${q('merge_request[source_branch]')}=${q(head)}&${q('merge_request[target_branch]')}=${q(base)}`;
    case 'bitbucket':
      return `${remote.webUrl}/pull-requests/new?source=${q(head)}&dest=${q(base)}`;
    case 'other':
      return undefined;
  }
}

/** A remote URL fit to show: user and password removed from URL spellings (scp-like and local ones have none to hide). */
export function redactRemoteUrl(url: string): string {
  return url.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
