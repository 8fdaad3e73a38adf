import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasCode, ProposalError } from '../errors/index.js';
import { checkProposalBranch, listRefs } from './branch-name.js';
import { gitExec, gitQuiet, readBlobs } from './git-exec.js';
import { lineChanges } from './line-changes.js';

/**
 * A proposal is one new commit on one new branch, built with git's plumbing and never through a
 * working tree: `fast-import` writes the files and the commit on top of the base commit, and
 * `update-ref` creates the branch only if no ref of that name exists. Nothing is checked out, so a symbolic link in
 * the repository (a file, or a folder on the way to one) can never redirect a write: a path
 * whose existing entry or any parent is a link (or a submodule) is refused.
 *
 * It happens in two steps. `prepareProposal` writes nothing: it checks the branch name, the
 * paths and the repository, reads what each file replaces and counts the lines changed, so the
 * person who is asked to confirm sees facts Honua computed. `commitProposal` then makes exactly
 * that commit (refusing if the repository moved in between), pushes it to `origin` without
 * force, and undoes the branch if the push fails: a proposal either exists everywhere it was
 * meant to or nowhere. The commit is written by `git fast-import` from the base commit with
 * the files on top, and the branch by one `update-ref` transaction.
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
  /** Rewrites a file's content once what it replaces is known (e.g. puts back redacted secrets); may throw. */
  transform?: (path: string, content: string, before: string | undefined) => string;
  /** Whether two versions of a file say the same (default: the same text); decides when a branch of this name already holds this proposal. */
  sameContent?: (path: string, a: string, b: string) => boolean;
}

export interface PreparedFile {
  path: string;
  content: string;
  status: 'new' | 'modified' | 'unchanged';
  /** What the file held at the base commit (modified and unchanged files). */
  before?: string;
  added: number;
  removed: number;
}

export interface PreparedProposal {
  /** The git repository's top level, and the config root inside it ('' or 'samples/honua-config/'). */
  top: string;
  prefix: string;
  branch: string;
  base: { commit: string; branch?: string };
  files: PreparedFile[];
  message: string;
  author: { name: string; email: string };
  /** Where the branch will be pushed besides the repository itself (the origin remote), if anywhere. */
  origin?: string;
  workingTreeDirty: boolean;
}

export interface ProposalResult {
  branch: string;
  commit: string;
  base: { commit: string; branch?: string };
  files: Array<{ path: string; status: 'new' | 'modified' | 'unchanged'; added: number; removed: number }>;
  pushedTo: string[];
  /** Uncommitted changes in the working tree are not part of the proposal (it starts from the last commit). */
  workingTreeDirty: boolean;
}

export { ProposalError };

const ALLOWED_TOP = ['environments', 'migrations', 'policies', '.gitops'];
const ALLOWED_EXT = /\.(ya?ml|json|sql|md)$/i;
/** Plain path characters only: a path is shown to the person who confirms, so it cannot carry newlines or escapes. */
const PATH_CHARS = /^[A-Za-z0-9._/-]+$/;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 200;
const REGULAR = new Set(['100644', '100755']);

/** A safe relative path inside the config folders, or a ProposalError saying why not. */
export function proposalPath(p: string): string {
  const norm = path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
  const shown = JSON.stringify(p.length > 120 ? `${p.slice(0, 120)}…` : p);
  if (norm.startsWith('/') || norm.startsWith('..') || norm.split('/').includes('..') || norm.split('/').some((s) => s.toLowerCase() === '.git')) {
    throw new ProposalError('bad-proposal-path', `${shown} is outside the config repository`, {
      hint: 'Use a path relative to the repository root, such as environments/development/layers/parks.yaml.',
      fault: 'model',
    });
  }
  if (!PATH_CHARS.test(norm) || norm.split('/').some((s, i) => s.startsWith('.') && !(i === 0 && s === '.gitops'))) {
    throw new ProposalError('bad-proposal-path', `${shown} has characters a config path cannot have`, {
      hint: 'Paths use letters, digits, ".", "_", "-" and "/"; no part but .gitops starts with a dot.',
      fault: 'model',
    });
  }
  if (!ALLOWED_TOP.includes(norm.split('/')[0] ?? '') || !ALLOWED_EXT.test(norm)) {
    throw new ProposalError('bad-proposal-path', `${shown} is not a configuration file`, {
      hint: `Proposals write .yaml, .json, .sql or .md files under ${ALLOWED_TOP.join(', ')}.`,
      fault: 'model',
    });
  }
  return norm;
}

/** A commit message a person can read in `git log` without surprises: text, tabs and newlines only. */
export function proposalMessage(message: string): string {
  const text = message.replace(/\r\n/g, '\n').trim();
  if (!text) throw new ProposalError('bad-commit-message', 'the commit message is empty', { fault: 'model' });
  if (text.length > 10_000) throw new ProposalError('bad-commit-message', 'the commit message is longer than 10,000 characters', { fault: 'model' });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text)) {
    throw new ProposalError('bad-commit-message', 'the commit message has control or bidirectional-override characters', {
      hint: 'Write plain text; newlines and tabs are fine.',
      fault: 'model',
    });
  }
  return text;
}

type TreeEntry = { mode: string; type: string; oid: string };

/**
 * Every entry (trees included) under some folders of a commit, by path from the repository's
 * top, from one `git ls-tree -r -t`. Links inside are listed as entries of their own.
 */
async function treeUnder(top: string, commit: string, folders: readonly string[]): Promise<Map<string, TreeEntry>> {
  const out = await gitExec(top, ['ls-tree', '-r', '-t', '-z', '--full-tree', commit, '--', ...folders]);
  const entries = new Map<string, TreeEntry>();
  for (const line of out.stdout.split('\0')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = line.slice(0, tab).split(' ');
    if (mode && type && oid) entries.set(line.slice(tab + 1), { mode, type, oid });
  }
  return entries;
}

/**
 * What a path holds at the base commit, walking from the root one folder at a time: nothing (it
 * is new), a regular file (its blob), or a refusal when the path or a folder on the way to it is
 * a symbolic link, a submodule or a file. `known` holds every entry of the folders concerned; a
 * missing folder means everything below it is new.
 */
function entryAt(full: string, known: ReadonlyMap<string, TreeEntry>): TreeEntry | undefined {
  const parts = full.split('/');
  for (let i = 0; i < parts.length; i++) {
    const here = parts.slice(0, i + 1).join('/');
    const entry = known.get(here);
    if (!entry) return undefined;
    const last = i === parts.length - 1;
    if (entry.mode === '120000') {
      throw new ProposalError('symlink-in-path', `${here} is a symbolic link in the repository, so ${last ? 'it' : full} cannot be written by a proposal`, {
        hint: 'Proposals never write through links. Edit the file the link points to, or replace the link with a real file or folder in a commit of your own.',
        fault: 'user',
        data: { path: here },
      });
    }
    if (entry.mode === '160000')
      throw new ProposalError('submodule-in-path', `${here} is a submodule, so ${full} cannot be written by a proposal`, {
        fault: 'user',
        data: { path: here },
      });
    if (last) {
      if (!REGULAR.has(entry.mode)) throw new ProposalError('bad-proposal-path', `${here} is a folder in the repository, not a file`, { fault: 'model' });
      return entry;
    }
    if (entry.type !== 'tree')
      throw new ProposalError('bad-proposal-path', `${here} is a file in the repository, so ${full} cannot be created under it`, { fault: 'model' });
  }
  return undefined;
}

/**
 * Checks everything and reads what the proposal would change; writes nothing. A handful of git
 * calls, whatever the number of files: in a process that holds a large embedded database, each
 * git process costs tens of milliseconds to start.
 */
export async function prepareProposal(request: ProposalRequest): Promise<PreparedProposal> {
  const message = proposalMessage(request.message);
  if (request.files.length === 0) throw new ProposalError('empty-proposal', 'a proposal needs at least one file', { fault: 'model' });
  if (request.files.length > MAX_FILES)
    throw new ProposalError('proposal-too-large', `a proposal has at most ${MAX_FILES} files (this one has ${request.files.length})`, { fault: 'model' });
  const files = request.files.map((f) => {
    const p = proposalPath(f.path);
    const content = f.content.endsWith('\n') ? f.content : `${f.content}\n`;
    if (Buffer.byteLength(content) > MAX_FILE_BYTES) throw new ProposalError('proposal-too-large', `${p} is larger than 1 MiB`, { fault: 'model' });
    if (content.includes('\0'))
      throw new ProposalError('bad-proposal-content', `${p} contains a NUL character; configuration files are text`, { fault: 'model' });
    return { path: p, content };
  });
  const paths = files.map((f) => f.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw new ProposalError('duplicate-file', `${dup} is in the proposal twice`, { fault: 'model' });

  const dir = path.resolve(request.configRoot);
  // The top level, the config root's place in it, HEAD's commit and what HEAD is: one call.
  const where = await gitExec(dir, ['rev-parse', '--show-toplevel', '--show-prefix', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD'], { okCodes: [128] });
  const [top = '', prefix = '', head = '', headRef = ''] = where.stdout.split('\n');
  if (where.code !== 0) {
    const inside = await gitQuiet(dir, ['rev-parse', '--show-toplevel']);
    if (!inside)
      throw new ProposalError('not-a-git-repo', `${request.configRoot} is not a git repository, so a proposal branch cannot be made`, {
        hint: 'Run `git init` and commit the configuration, or write the files yourself (honua-ai generate ... --write).',
      });
    throw new ProposalError('no-commits', `${inside} has no commits yet`, {
      hint: 'Commit the configuration first; a proposal branches from the last commit.',
    });
  }
  const tops = [...new Set(paths.map((p) => `${prefix}${p.split('/')[0]}`))];
  const [refs, status, originUrl, tree] = await Promise.all([
    listRefs(top),
    gitQuiet(top, ['status', '--porcelain', '--', prefix || '.']),
    request.pushToOrigin ? gitQuiet(top, ['remote', 'get-url', 'origin']) : Promise.resolve(''),
    treeUnder(top, head, tops),
  ]);
  const push = request.pushToOrigin && originUrl !== '';
  const branch = await checkProposalBranch(top, request.branch.trim(), refs, { remote: push }).catch((error: unknown) =>
    sameAsExisting(error, top, prefix, files, request.sameContent ?? ((_p, a, b) => a === b)),
  );
  // The config root itself must be a folder of the commit (not a link to one).
  if (prefix) {
    const parts = prefix.replace(/\/$/, '').split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (tree.size > 0 && tree.get(folder)?.type !== 'tree')
        throw new ProposalError('symlink-in-path', `${folder} is not a folder in the commit ${head.slice(0, 7)}`, { fault: 'user', data: { path: folder } });
    }
  }
  const entries = files.map((f) => ({ f, entry: entryAt(`${prefix}${f.path}`, tree) }));
  const blobs = await readBlobs(
    top,
    entries.flatMap(({ entry }) => (entry ? [entry.oid] : [])),
  );
  const prepared: PreparedFile[] = entries.map(({ f, entry }) => {
    const before = entry ? blobs.get(entry.oid) : undefined;
    const content = request.transform ? request.transform(f.path, f.content, before) : f.content;
    return {
      path: f.path,
      content,
      status: before === undefined ? 'new' : before === content ? 'unchanged' : 'modified',
      ...(before !== undefined ? { before } : {}),
      ...lineChanges(before, content),
    };
  });
  if (prepared.every((f) => f.status === 'unchanged'))
    throw new ProposalError('nothing-to-propose', 'every file already has this content on the current commit', { fault: 'model' });
  return {
    top,
    prefix,
    branch,
    base: { commit: head, ...(headRef.startsWith('refs/heads/') ? { branch: headRef.slice('refs/heads/'.length) } : {}) },
    files: prepared,
    message,
    author: request.author,
    ...(push ? { origin: originUrl } : {}),
    workingTreeDirty: status !== '',
  };
}

/**
 * A branch of the proposal's name exists. When its tip already holds every proposed file with
 * this content, the proposal exists: `proposal-exists` points at it (running the same request
 * twice makes no second branch). Otherwise the branch-exists error goes on, naming what differs.
 */
async function sameAsExisting(
  error: unknown,
  top: string,
  prefix: string,
  files: ReadonlyArray<{ path: string; content: string }>,
  same: (path: string, a: string, b: string) => boolean,
): Promise<never> {
  if (!hasCode(error, 'branch-exists')) throw error;
  const data = error.data as { branch?: string; tip?: string } | undefined;
  if (!data?.tip || !data.branch) throw error;
  const at = await readBlobs(
    top,
    files.map((f) => `${data.tip}:${prefix}${f.path}`),
  );
  const differs = files
    .filter((f) => {
      const there = at.get(`${data.tip}:${prefix}${f.path}`);
      return there === undefined || !same(f.path, there, f.content);
    })
    .map((f) => f.path);
  // The same proposal changes the same files: the branch's own changes (since it left HEAD's history) are exactly these.
  const changed = (await gitQuiet(top, ['diff', '--name-only', '-z', `HEAD...${data.tip}`])).split('\0').filter(Boolean);
  const proposed = new Set(files.map((f) => `${prefix}${f.path}`));
  for (const p of changed) if (!proposed.has(p)) differs.push(`${p.slice(prefix.length)} (only on the branch)`);
  if (differs.length === 0) {
    throw new ProposalError(
      'proposal-exists',
      `this proposal already exists on ${data.branch} (${data.tip.slice(0, 7)}), with the same files and content (a generated timestamp aside); nothing new was made`,
      {
        hint: `Review it with git log -p ${data.branch}.`,
        fault: 'user',
        data: { branch: data.branch, commit: data.tip },
      },
    );
  }
  const e = error as ProposalError;
  throw new ProposalError('branch-exists', `${e.message}, with different content (${differs.join(', ')})`, {
    hint: e.hint ?? 'Pick a new name.',
    fault: 'model',
    data: { ...data, differs },
  });
}

/** A `git fast-import` stream for one commit on top of `base` (paths and names are plain by construction). */
function importStream(p: PreparedProposal, ref: string, when: Date): string {
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const stamp = `${Math.floor(when.getTime() / 1000)} +0000`;
  const who = `${p.author.name.replace(/[<>\n]/g, '')} <${p.author.email.replace(/[<>\n]/g, '')}>`;
  return [
    `commit ${ref}\n`,
    'mark :1\n',
    `author ${who} ${stamp}\n`,
    `committer ${who} ${stamp}\n`,
    data(`${p.message}\n`),
    `from ${p.base.commit}\n`,
    ...p.files.filter((f) => f.status !== 'unchanged').map((f) => `M 100644 inline ${p.prefix}${f.path}\n${data(f.content)}`),
    '\n',
  ].join('');
}

/**
 * Makes the prepared commit and branch, and pushes it; on any failure nothing is left behind.
 * `git fast-import` writes the files and the commit (no index, no work tree) to a private ref;
 * one `update-ref --stdin` transaction then checks that HEAD is still the base, creates the
 * branch only if no ref of that name exists, and drops the private ref — all or nothing.
 */
export async function commitProposal(p: PreparedProposal): Promise<ProposalResult> {
  const { top } = p;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'honua-proposal-'));
  const ref = `refs/heads/${p.branch}`;
  const temp = `refs/honua/proposals/${process.pid}-${Date.now()}`;
  let created = '';
  try {
    const marks = path.join(scratch, 'marks');
    await gitExec(top, ['fast-import', '--quiet', `--export-marks=${marks}`], { input: importStream(p, temp, new Date()) }).catch((cause: unknown) => {
      throw new ProposalError('proposal-failed', `git could not make the commit: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
        fault: 'system',
      });
    });
    const commit = /^:1 ([0-9a-f]{40,64})$/m.exec(await readFile(marks, 'utf8'))?.[1];
    if (!commit) throw new ProposalError('proposal-failed', 'git made no commit', { fault: 'system' });
    const transaction = `start\nverify HEAD ${p.base.commit}\ncreate ${ref} ${commit}\ndelete ${temp} ${commit}\nprepare\ncommit\n`;
    const done = await gitExec(top, ['update-ref', '--stdin', '-m', 'honua: proposal'], { input: transaction, okCodes: [128] });
    if (done.code !== 0) {
      await gitExec(top, ['update-ref', '-d', temp, commit]).catch(() => undefined);
      const head = await gitQuiet(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      if (head !== p.base.commit) {
        throw new ProposalError(
          'repository-moved',
          `the repository moved from ${p.base.commit.slice(0, 7)} to ${head.slice(0, 7) || 'nothing'} after the proposal was prepared; nothing was written`,
          {
            hint: 'Prepare the proposal again, so what is confirmed is what gets committed.',
            fault: 'system',
          },
        );
      }
      throw new ProposalError('branch-exists', `branch ${p.branch} appeared while the proposal was being made; nothing was written`, {
        hint: 'Pick a new name.',
        fault: 'system',
      });
    }
    created = commit;
    const pushedTo = [top];
    if (p.origin !== undefined) {
      // Never --force: an existing branch on origin is never overwritten.
      await gitExec(top, ['push', '--quiet', '--porcelain', 'origin', `${ref}:${ref}`]).catch((cause: unknown) => {
        throw new ProposalError(
          'push-failed',
          `the push of ${p.branch} to origin failed, so the proposal was withdrawn: ${cause instanceof Error ? cause.message : String(cause)}`,
          {
            cause,
            hint: 'Check that origin is reachable and that you may push to it (git push works by hand), then propose again.',
            fault: 'system',
          },
        );
      });
      pushedTo.push(`origin/${p.branch}`);
    }
    created = '';
    return {
      branch: p.branch,
      commit,
      base: p.base,
      files: p.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed })),
      pushedTo,
      workingTreeDirty: p.workingTreeDirty,
    };
  } finally {
    // Only a branch this call created, and only while it still points at this call's commit.
    if (created) await gitExec(top, ['update-ref', '-d', ref, created]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Prepare and commit in one go, for callers with nobody to ask in between. */
export async function writeProposalBranch(request: ProposalRequest): Promise<ProposalResult> {
  return commitProposal(await prepareProposal(request));
}
