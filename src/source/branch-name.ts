import { BranchNameError } from '../errors/index.js';
import { gitOut, gitQuiet } from './git-exec.js';

/**
 * The names a proposal branch may take. A proposal must never make an existing name mean
 * something else: `origin/main`, `refs/heads/main`, `heads/main`, `@`, `+main` or a hex string
 * that abbreviates a commit would all change what other commands (and people) resolve. So a
 * proposal branch lives under a proposal prefix, uses a plain character set that git's
 * check-ref-format rules all allow, and must not resolve to any existing ref before it is made.
 */
export const PROPOSAL_PREFIXES = ['feature/', 'honua/'] as const;

const SHAPE = /^(?:feature|honua)\/[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)*$/i;
const MAX_LENGTH = 120;

const bad = (name: string, why: string): BranchNameError =>
  new BranchNameError('bad-branch-name', `"${printable(name)}" cannot be a proposal branch: ${why}`, {
    hint: `Use a new name under ${PROPOSAL_PREFIXES.join(' or ')}, made of letters, digits, ".", "_", "-" and "/", e.g. feature/add-parks-layer.`,
    fault: 'model',
  });

/** A name as it can be shown in a message: control characters escaped, cut to a sane length. */
const printable = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s).slice(1, -1);

/**
 * The shape rules (pure). They are stricter than `git check-ref-format --branch`: no "..", no
 * part starting with "." or ending in ".lock", no "@{", no control or special characters, no
 * "//" — so every name that passes is one git accepts, and none can be read as an object id.
 */
export function proposalBranchShape(name: string): string {
  if (name.length === 0) throw bad(name, 'it is empty');
  if (name.length > MAX_LENGTH) throw bad(name, `it is longer than ${MAX_LENGTH} characters`);
  if (!PROPOSAL_PREFIXES.some((p) => name.startsWith(p))) throw bad(name, `proposal branches start with ${PROPOSAL_PREFIXES.join(' or ')}`);
  if (!SHAPE.test(name))
    throw bad(name, 'it has characters or a shape git names cannot safely have (only letters, digits, ".", "_", "-" and single "/" between parts)');
  if (/\.\.|\.lock(?:\/|$)|\.$|\/\./.test(name)) throw bad(name, 'git does not allow "..", a part starting with "." or ending in ".lock"');
  return name;
}

/**
 * Checks a proposal branch name against the repository's refs (`refs`: every ref name, from one
 * `git for-each-ref`): the shape, then that nothing answers to the name yet — the ways git
 * resolves a name (`refs/X`, `refs/tags/X`, `refs/heads/X`, `refs/remotes/X`,
 * `refs/remotes/X/HEAD`) — and that no branch collides with it as a folder would (`feature` vs
 * `feature/x`). With `remote`, the origin is asked too.
 */
export async function checkProposalBranch(top: string, name: string, refs: ReadonlyMap<string, string>, options: { remote?: boolean } = {}): Promise<string> {
  proposalBranchShape(name);
  const local = refs.get(`refs/heads/${name}`);
  if (local) {
    throw new BranchNameError('branch-exists', `branch ${name} already exists`, {
      hint: 'Proposals never overwrite a branch; pick a new name.',
      fault: 'model',
      data: { branch: name, tip: local },
    });
  }
  const answers = [`refs/${name}`, `refs/tags/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`].find((r) => refs.has(r));
  if (answers) {
    throw new BranchNameError('branch-shadows-ref', `"${name}" already resolves to ${answers}; a branch of that name would make it ambiguous`, {
      hint: 'Pick a name that nothing in the repository resolves to yet.',
      fault: 'model',
    });
  }
  // A branch is a file under refs/heads: `feature` and `feature/x` cannot both exist.
  const parts = name.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    if (refs.has(`refs/heads/${parent}`)) {
      throw new BranchNameError('branch-exists', `a branch named ${parent} exists, so ${name} cannot be created beside it`, {
        hint: `Pick a name that does not start with ${parent}/.`,
        fault: 'model',
      });
    }
  }
  const below = [...refs.keys()].find((r) => r.startsWith(`refs/heads/${name}/`));
  if (below)
    throw new BranchNameError('branch-exists', `${below} exists, so a branch named ${name} cannot be created`, { hint: 'Pick another name.', fault: 'model' });
  if (options.remote) {
    const remote = await gitQuiet(top, ['ls-remote', '--heads', 'origin', `refs/heads/${name}`, `refs/heads/${name}/*`]);
    if (remote) {
      const tip = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/m.exec(remote);
      throw new BranchNameError('branch-exists', `branch ${name} already exists on origin`, {
        hint: 'Proposals never overwrite a branch; pick a new name.',
        fault: 'model',
        data: { branch: name, remote: true, ...(tip && tip[2] === name ? { tip: tip[1] } : {}) },
      });
    }
  }
  return name;
}

/** Every ref of the repository, with the commit (or object) each points at, from one git call. */
export async function listRefs(top: string): Promise<Map<string, string>> {
  const out = await gitOut(top, ['for-each-ref', '--format=%(refname) %(objectname)']);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}
