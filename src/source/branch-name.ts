import { HonuaError } from '../errors/index.js';
import { gitExec, gitQuiet } from './git-exec.js';

/**
 * The names a proposal branch may take. A proposal must never make an existing name mean
 * something else: `origin/main`, `refs/heads/main`, `heads/main`, `@`, `+main` or a hex string
 * that abbreviates a commit would all change what other commands (and people) resolve. So a
 * proposal branch lives under a proposal prefix, uses a plain character set, passes git's own
 * check, and must not resolve to any existing ref or object before it is created.
 */
export const PROPOSAL_PREFIXES = ['feature/', 'honua/'] as const;

const SHAPE = /^(?:feature|honua)\/[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*$/i;
const MAX_LENGTH = 120;

export class BranchNameError extends HonuaError {}

const bad = (name: string, why: string): BranchNameError =>
  new BranchNameError('bad-branch-name', `"${printable(name)}" cannot be a proposal branch: ${why}`, {
    hint: `Use a new name under ${PROPOSAL_PREFIXES.join(' or ')}, made of letters, digits, ".", "_", "-" and "/", e.g. feature/add-parks-layer.`,
    fault: 'model',
  });

/** A name as it can be shown in a message: control characters escaped, cut to a sane length. */
const printable = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s).slice(1, -1);

/** The shape rules, without asking git (pure). Returns the name or throws BranchNameError. */
export function proposalBranchShape(name: string): string {
  if (name.length === 0) throw bad(name, 'it is empty');
  if (name.length > MAX_LENGTH) throw bad(name, `it is longer than ${MAX_LENGTH} characters`);
  if (!PROPOSAL_PREFIXES.some((p) => name.startsWith(p))) throw bad(name, `proposal branches start with ${PROPOSAL_PREFIXES.join(' or ')}`);
  if (!SHAPE.test(name)) throw bad(name, 'it has characters or a shape git names cannot safely have (only letters, digits, ".", "_", "-" and single "/" between parts)');
  if (/\.\.|\.lock(?:\/|$)|\.$|\/\./.test(name)) throw bad(name, 'git does not allow "..", a part starting with "." or ending in ".lock"');
  return name;
}

/**
 * Checks a proposal branch name against the repository at `top` (and its origin when `remote`):
 * the shape, git's check-ref-format, and that nothing resolves by that name yet — no branch,
 * tag, remote-tracking ref or object, and no branch that would collide as a folder
 * (`feature` vs `feature/x`).
 */
export async function checkProposalBranch(top: string, name: string, options: { remote?: boolean } = {}): Promise<string> {
  proposalBranchShape(name);
  const format = await gitExec(top, ['check-ref-format', '--branch', name], { okCodes: [1, 128] });
  if (format.code !== 0) throw bad(name, 'git says it is not a valid branch name');
  const resolves = await gitExec(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{object}`], { okCodes: [1, 128] });
  const local = await gitQuiet(top, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]);
  if (local) {
    throw new BranchNameError('branch-exists', `branch ${name} already exists`, { hint: 'Proposals never overwrite a branch; pick a new name.', fault: 'model' });
  }
  if (resolves.code === 0) {
    const full = await gitQuiet(top, ['rev-parse', '--symbolic-full-name', '--end-of-options', name]);
    throw new BranchNameError('branch-shadows-ref', `"${name}" already resolves to ${full || `the object ${resolves.stdout.trim().slice(0, 12)}`}; a branch of that name would make it ambiguous`, {
      hint: 'Pick a name that nothing in the repository resolves to yet.',
      fault: 'model',
    });
  }
  // A branch is a file under refs/heads: `feature` and `feature/x` cannot both exist.
  const parts = name.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    if (await gitQuiet(top, ['rev-parse', '--verify', '--quiet', `refs/heads/${parent}`])) {
      throw new BranchNameError('branch-exists', `a branch named ${parent} exists, so ${name} cannot be created beside it`, { hint: `Pick a name that does not start with ${parent}/.`, fault: 'model' });
    }
  }
  const below = await gitQuiet(top, ['for-each-ref', '--count=1', '--format=%(refname)', `refs/heads/${name}/`]);
  if (below) throw new BranchNameError('branch-exists', `${below} exists, so a branch named ${name} cannot be created`, { hint: 'Pick another name.', fault: 'model' });
  if (options.remote) {
    const remote = await gitQuiet(top, ['ls-remote', '--heads', 'origin', `refs/heads/${name}`, `refs/heads/${name}/*`]);
    if (remote) {
      throw new BranchNameError('branch-exists', `branch ${name} already exists on origin`, { hint: 'Proposals never overwrite a branch; pick a new name.', fault: 'model' });
    }
  }
  return name;
}
