import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { HonuaError } from '../errors/index.js';

/**
 * Stages a proposal the way a careful person would: in a fresh local clone of the config
 * repository (the user's working tree is never touched), on a NEW branch from the current
 * commit, one commit authored by the session, then pushed back to the repository — and to its
 * `origin` when it has one — without force. It refuses the default branch, an existing branch,
 * and any path outside the config folders.
 */
export interface ProposalFile {
  /** Relative to the config repository's root, forward slashes. */
  path: string;
  content: string;
}

export interface ProposalRequest {
  /** The config repository's root (may be a folder inside a larger git repository). */
  configRoot: string;
  branch: string;
  files: readonly ProposalFile[];
  message: string;
  author: { name: string; email: string };
  /** Also push the branch to the repository's `origin` remote (when there is one). */
  pushToOrigin: boolean;
  /** Called with the clone's config root before committing; throw to stop (e.g. the files do not validate). */
  check?: (cloneConfigRoot: string) => Promise<void>;
}

export interface ProposalResult {
  branch: string;
  commit: string;
  base: { commit: string; branch?: string };
  files: Array<{ path: string; status: 'new' | 'modified' | 'unchanged' }>;
  pushedTo: string[];
  /** Uncommitted changes in the working tree are not part of the proposal (it starts from the last commit). */
  workingTreeDirty: boolean;
}

export class ProposalError extends HonuaError {}

const ALLOWED_TOP = ['environments', 'migrations', 'policies', '.gitops'];
const ALLOWED_EXT = /\.(ya?ml|json|sql|md)$/i;

/** A safe relative path inside the config folders, or a ProposalError saying why not. */
export function proposalPath(p: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (norm.startsWith('/') || norm.startsWith('..') || norm.split('/').includes('..') || norm.split('/').includes('.git')) {
    throw new ProposalError('bad-proposal-path', `"${p}" is outside the config repository`, { hint: 'Use a path relative to the repository root, such as environments/development/layers/parks.yaml.', fault: 'model' });
  }
  if (!ALLOWED_TOP.includes(norm.split('/')[0] ?? '') || !ALLOWED_EXT.test(norm)) {
    throw new ProposalError('bad-proposal-path', `"${p}" is not a configuration file`, { hint: `Proposals write .yaml, .json, .sql or .md files under ${ALLOWED_TOP.join(', ')}.`, fault: 'model' });
  }
  return norm;
}

export async function writeProposalBranch(request: ProposalRequest): Promise<ProposalResult> {
  const repo = simpleGit({ baseDir: request.configRoot });
  const top = (await repo.revparse(['--show-toplevel']).catch(() => '')).trim();
  if (!top) {
    throw new ProposalError('not-a-git-repo', `${request.configRoot} is not a git repository, so a proposal branch cannot be made`, { hint: 'Run `git init` and commit the configuration, or write the files yourself (honua-ai generate ... --write).' });
  }
  const prefix = path.relative(top, path.resolve(request.configRoot)).split(path.sep).join('/');
  const git = simpleGit({ baseDir: top });
  const branch = request.branch.trim();
  const quiet = (args: string[]) => git.raw(args).then((o) => o.trim(), () => '');
  // Independent questions, asked at once: each is a git process, and they add up.
  const [head, currentBranch, valid, originHead, configuredDefault, exists, status, originUrl] = await Promise.all([
    quiet(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    quiet(['symbolic-ref', '--quiet', '--short', 'HEAD']),
    git.raw(['check-ref-format', '--branch', branch]).then(() => true, () => false),
    quiet(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']),
    quiet(['config', '--get', 'init.defaultBranch']),
    quiet(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]),
    quiet(['status', '--porcelain', '--', prefix || '.']),
    quiet(['remote', 'get-url', 'origin']),
  ]);
  if (!head) throw new ProposalError('no-commits', `${top} has no commits yet`, { hint: 'Commit the configuration first; a proposal branches from the last commit.' });
  if (!valid || branch.startsWith('-')) throw new ProposalError('bad-branch-name', `"${request.branch}" is not a valid branch name`, { hint: 'e.g. feature/add-parks-layer', fault: 'model' });
  const defaultName = originHead.replace(/^origin\//, '') || configuredDefault || 'main';
  const protectedNames = new Set(['main', 'master', 'HEAD', defaultName, currentBranch || 'main']);
  if (protectedNames.has(branch)) {
    throw new ProposalError('protected-branch', `proposals never commit to ${branch}: it is the default or current branch`, { hint: 'Use a new branch name such as feature/<change>.', fault: 'model' });
  }
  if (exists) throw new ProposalError('branch-exists', `branch ${branch} already exists`, { hint: 'Proposals never overwrite a branch; pick a new name.', fault: 'model' });
  // The remote too: a push would fast-forward a branch of the same name there, which is still someone else's branch.
  if (request.pushToOrigin && originUrl && (await quiet(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`]))) {
    throw new ProposalError('branch-exists', `branch ${branch} already exists on origin`, { hint: 'Proposals never overwrite a branch; pick a new name.', fault: 'model' });
  }
  if (request.files.length === 0) throw new ProposalError('empty-proposal', 'a proposal needs at least one file', { fault: 'model' });
  const files = request.files.map((f) => ({ path: proposalPath(f.path), content: f.content.endsWith('\n') ? f.content : `${f.content}\n` }));

  const dir = await mkdtemp(path.join(os.tmpdir(), 'honua-proposal-'));
  try {
    const clone = simpleGit({ baseDir: dir });
    await clone.clone(top, dir, ['--quiet', '--no-checkout']);
    await clone.raw(['checkout', '--quiet', '-b', branch, head]);
    const root = path.join(dir, prefix);
    const statuses: ProposalResult['files'] = [];
    for (const f of files) {
      const abs = path.join(root, f.path);
      const before = await readFile(abs, 'utf8').catch(() => undefined);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, f.content);
      statuses.push({ path: f.path, status: before === undefined ? 'new' : before === f.content ? 'unchanged' : 'modified' });
    }
    if (statuses.every((s) => s.status === 'unchanged')) throw new ProposalError('nothing-to-propose', 'every file already has this content on the current commit', { fault: 'model' });
    await request.check?.(root);
    await clone.add(files.map((f) => path.posix.join(prefix, f.path)));
    const author = `${request.author.name} <${request.author.email}>`;
    await clone.raw(['-c', `user.name=${request.author.name}`, '-c', `user.email=${request.author.email}`, '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '--author', author, '-m', request.message]);
    const commit = (await clone.revparse(['HEAD'])).trim();
    // Back into the user's repository as a new branch, and to its origin: never --force, so an existing branch is never overwritten.
    const refspec = `refs/heads/${branch}:refs/heads/${branch}`;
    const toOrigin = request.pushToOrigin && originUrl !== '';
    await Promise.all([clone.raw(['push', '--quiet', 'origin', refspec]), toOrigin ? clone.raw(['push', '--quiet', path.isAbsolute(originUrl) || /^[a-z]+:\/\//i.test(originUrl) || originUrl.includes('@') ? originUrl : path.resolve(top, originUrl), refspec]) : undefined]);
    const pushedTo = [top, ...(toOrigin ? [`origin/${branch}`] : [])];
    return { branch, commit, base: { commit: head, ...(currentBranch ? { branch: currentBranch } : {}) }, files: statuses, pushedTo, workingTreeDirty: status !== '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
