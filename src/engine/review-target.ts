import { z } from 'zod';
import { canonicalEnvironment, requireState } from '../config/index.js';
import { lintAll } from '../db/index.js';
import { HonuaError, isHonuaError } from '../errors/index.js';
import { type Review, reviewPlan } from '../plan/index.js';
import { gitQuiet } from '../source/index.js';
import { deployedCommit } from './deployed-commit.js';
import { githubOf } from './pull-request.js';
import type { Engine } from './engine.js';

/**
 * What `honua-ai review` and `review_plan` review: a deployment (its recorded plan, exactly what
 * was or will be applied), or a branch, tag or commit planned against what the environment runs
 * now. A pull request is reviewed as its head commit (the caller resolves the number).
 */
export const ReviewRequestSchema = z.object({
  target: z.string().min(1).max(200).meta({ description: 'A deployment id, or a branch, tag or commit.' }),
  environment: z.string().optional().meta({ description: 'For a branch or commit: the environment to plan it for (default: production when there is one).' }),
  pullRequest: z.object({ number: z.number().int(), url: z.string(), commit: z.string() }).optional(),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

const DEPLOYMENT_ID = /^.+-\d{14}-[0-9a-z]{1,12}(-\d+)?$/;

const PULL_REQUEST = /^(?:#|pr\s*#?|pull\s*request\s*#?)(\d{1,9})$|^(\d{1,6})$/i;

/** A pull request number ("#12", "PR 12", "12"): its head commit, fetched from origin when it is not here yet. */
export async function resolvePullRequest(engine: Engine, target: string): Promise<{ number: number; url: string; commit: string } | undefined> {
  const m = PULL_REQUEST.exec(target.trim());
  if (!m) return undefined;
  const number = Number(m[1] ?? m[2]);
  const repoDir = engine.workspace.repoDir;
  if (!repoDir) throw new HonuaError('no-config-repo', 'reviewing a pull request needs the config repository');
  const { git, origin, client } = await githubOf(engine);
  const pr = await client().pullRequest(number);
  // What GitHub says is data: a sha is 40 hex digits and a branch a plain name, never an option for git.
  if (!/^[0-9a-f]{40}$/i.test(pr.head.sha) || !/^[A-Za-z0-9._][A-Za-z0-9._/-]{0,250}$/.test(pr.head.ref) || pr.head.ref.includes('..'))
    throw new HonuaError('github-error', `pull request #${number}'s head is not a commit and branch Honua can read`);
  const here = async (ref: string) =>
    git.resolveCommit(ref).then(
      (c) => c,
      () => undefined,
    );
  let commit = (await here(pr.head.sha)) ?? (await here(`origin/${pr.head.ref}`));
  if (!commit && origin) {
    await gitQuiet(repoDir, ['fetch', '--quiet', 'origin', `+refs/pull/${number}/head:refs/remotes/origin/pr/${number}`]);
    await gitQuiet(repoDir, ['fetch', '--quiet', 'origin', pr.head.ref]);
    commit = (await here(pr.head.sha)) ?? (await here(`origin/pr/${number}`));
  }
  if (!commit)
    throw new HonuaError('unknown-review-target', `pull request #${number}'s head ${pr.head.sha.slice(0, 7)} (${pr.head.ref}) is not in this repository`, {
      hint: `git fetch origin ${pr.head.ref}, then review again.`,
    });
  return { number, url: pr.url, commit };
}

export async function reviewTarget(engine: Engine, request: ReviewRequest, now: Date): Promise<Review> {
  if (!request.pullRequest) {
    const pr = await resolvePullRequest(engine, request.target);
    if (pr) return reviewTarget(engine, { ...request, pullRequest: pr }, now);
  }
  const backupsOf = async (environment: string) =>
    (await engine.backups({ environment }).catch(() => undefined))?.backups.map((b) => ({ id: b.id, createdAt: b.createdAt }));
  if (DEPLOYMENT_ID.test(request.target) && !request.pullRequest) {
    const record = await engine.deployment(request.target);
    if (!record.plan) throw new HonuaError('unknown-review-target', `${record.id} has no plan yet (it is ${record.state})`);
    const repo = await engine.workspace.config(record.commit).catch(() => undefined);
    const lint = repo ? await lintAll(requireState(repo, record.environment).migrations) : [];
    return reviewPlan({
      plan: record.plan,
      target: { kind: 'deployment', ref: record.id, commit: record.commit, environment: record.environment },
      lint,
      backups: await backupsOf(record.environment),
      now,
    });
  }
  const environments = await engine.environments();
  const environment = canonicalEnvironment(
    request.environment ?? environments.find((e) => e.name === 'production')?.name ?? engine.workspace.defaultEnvironment,
  );
  const ref = request.pullRequest?.commit ?? request.target;
  const deployed = await deployedCommit(engine, environment);
  let plan;
  try {
    plan = await engine.plan({ environment, ref, ...(deployed ? { against: deployed } : {}) });
  } catch (error) {
    if (isHonuaError(error) && error.code === 'unknown-ref')
      throw new HonuaError('unknown-review-target', `"${request.target}" is not a deployment, branch, tag or commit here`, {
        hint: 'Give a deployment id (honua deployments -e ENV), a branch (git fetch it first), or a pull request number (#12) with GITHUB_TOKEN set.',
        cause: error,
      });
    throw error;
  }
  const repo = await engine.workspace.config(ref);
  return reviewPlan({
    plan,
    target: request.pullRequest
      ? { kind: 'pull-request', ref: `#${request.pullRequest.number}`, commit: request.pullRequest.commit, environment, url: request.pullRequest.url }
      : { kind: 'ref', ref: request.target, commit: plan.to.commit ?? ref, environment },
    lint: await lintAll(requireState(repo, environment).migrations),
    backups: await backupsOf(environment),
    now,
  });
}
