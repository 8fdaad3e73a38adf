import path from 'node:path';
import { buildEnvironment, canonicalEnvironment, defaultPolicy, type DesiredState, type LoadedRepo } from '../config/index.js';
import type { SourceRef } from '../plan/index.js';
import { GitRepository, gitQuiet } from '../source/index.js';

/**
 * The policy that judges a change when nothing is deployed yet: the policy at the change's base,
 * never the one the change brings. The base of the working tree is HEAD (the last commit); the
 * base of a branch or commit is where it left HEAD's history (`git merge-base HEAD <ref>`), so a
 * proposal branch that rewrites `policies/production-policy.yaml` is still judged by the policy
 * the repository had when the branch was made. Outside git there is no base (undefined). A base
 * that does not define the environment, or whose configuration is broken, is judged by the
 * built-in default policy of the environment (in production: approval always required), and
 * the plan says so.
 */
export interface BasePolicy {
  policy: DesiredState['policy'];
  from: SourceRef;
  note?: string;
}

export async function basePolicy(
  repoDir: string,
  environment: string,
  ref: string | undefined,
  load: (commit: string) => Promise<LoadedRepo>,
): Promise<BasePolicy | undefined> {
  if (!(await GitRepository.isRepository(repoDir))) return undefined;
  const git = new GitRepository(repoDir);
  const head = await gitQuiet(repoDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head) return undefined;
  const base = ref === undefined ? head : await gitQuiet(repoDir, ['merge-base', head, await git.resolveCommit(ref)]);
  if (!base) return undefined;
  const from: SourceRef = { type: 'git', root: path.resolve(repoDir), ref: ref === undefined ? 'HEAD' : `merge-base of HEAD and ${ref}`, commit: base };
  const repo = await load(base);
  const env = canonicalEnvironment(environment);
  const fallback = (why: string): BasePolicy => ({
    policy: defaultPolicy(env),
    from,
    note: `${why}; Honua's built-in default policy for ${env} judges this change`,
  });
  if (!repo.environments.has(env)) return fallback(`the base commit ${base.slice(0, 7)} has no ${env} environment`);
  const { state, problems } = buildEnvironment(repo, env);
  if ([...repo.problems, ...problems].some((p) => p.severity === 'error' && (p.file?.startsWith('policies/') || p.file?.startsWith('.gitops/')))) {
    return fallback(`the policy at the base commit ${base.slice(0, 7)} does not validate`);
  }
  return { policy: state.policy, from };
}
