import { z } from 'zod';
import { lintAll } from '../db/index.js';
import { requireState } from '../config/index.js';
import { HonuaError, isHonuaError } from '../errors/index.js';
import { type Plan, reviewPlan } from '../plan/index.js';
import { compareUrl, GitHubClient, GitRepository, parseRemoteUrl, resolveGitHubTarget } from '../source/index.js';
import { deployedCommit } from './deployed-commit.js';
import type { Engine } from './engine.js';

/**
 * Pull requests (`honua-ai propose`, `open_pull_request`, `propose_promotion`): the body is the
 * plan as a reviewer needs it — the files, the semantic diff, breaking changes, migrations in
 * order with their lint findings and fixes, risk with reasons, the policy decision per
 * environment and how to test — written by Honua from the branch, never by the model (whose notes
 * go in a section of their own). Opened with Octokit on GitHub or GitHub Enterprise; without a
 * GitHub remote or a token, the branch stays pushed and the outcome says exactly how to open it.
 */
export const PullRequestRequestSchema = z.object({
  branch: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  notes: z.string().max(4000).optional().meta({ description: "The consultant's own notes, shown under their own heading." }),
  base: z.string().min(1).max(200).optional().meta({ description: "Default: the repository's default branch." }),
  draft: z.boolean().optional(),
});
export type PullRequestRequest = z.infer<typeof PullRequestRequestSchema>;

export const PullRequestOutcomeSchema = z.object({
  opened: z.boolean(),
  branch: z.string(),
  base: z.string(),
  number: z.number().int().optional(),
  url: z.string().optional(),
  labels: z.array(z.string()),
  risk: z.string(),
  warnings: z.array(z.string()),
  /** Not opened: why, and what to do. */
  reason: z.string().optional(),
  compareUrl: z.string().optional(),
  howTo: z.string().optional(),
});
export type PullRequestOutcome = z.infer<typeof PullRequestOutcomeSchema>;

const RISK_ORDER = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export interface PullRequestBody {
  markdown: string;
  risk: string;
  files: string[];
  plans: Plan[];
}

/** The body of a pull request from `branch` into `base`: one plan per environment the branch changes. */
export async function pullRequestBody(engine: Engine, branch: string, base: string, notes?: string): Promise<PullRequestBody> {
  const repoDir = engine.workspace.repoDir;
  if (!repoDir) throw new HonuaError('no-config-repo', 'a pull request needs the config repository');
  const git = new GitRepository(repoDir);
  const [head, from] = await Promise.all([git.resolveCommit(branch), git.resolveCommit(base)]);
  const files = await git.changedPaths(from, head);
  const environments = await engine.environments();
  const plans: Plan[] = [];
  const lint = await lintAll(requireState(await engine.workspace.config(head), environments[0]?.name ?? engine.workspace.defaultEnvironment).migrations);
  for (const env of environments) {
    const against = (await deployedCommit(engine, env.name)) ?? from;
    const plan = await engine.plan({ environment: env.name, ref: head, against }).catch(() => undefined);
    if (plan && plan.summary.added + plan.summary.modified + plan.summary.removed + plan.summary.migrations > 0) plans.push(plan);
  }
  const risk = plans.map((p) => p.risk.level).sort((a, b) => RISK_ORDER.indexOf(b) - RISK_ORDER.indexOf(a))[0] ?? 'LOW';
  const out: string[] = ['## What changes', '', `Branch \`${branch}\` (${head.slice(0, 7)}) into \`${base}\` (${from.slice(0, 7)}).`, ''];
  out.push('**Files**', ...files.map((f) => `- \`${f}\``), '');
  if (plans.length === 0) out.push('No environment changes what it serves or its database with this branch.', '');
  for (const plan of plans) {
    const review = reviewPlan({ plan, target: { kind: 'ref', ref: branch, commit: head, environment: plan.environment }, lint, now: engine.workspace.clock() });
    out.push(`### ${plan.environment}`, '');
    out.push(
      `${plan.summary.added} added, ${plan.summary.modified} modified, ${plan.summary.removed} removed, ${plan.summary.migrations} migration(s), ${plan.summary.breaking} breaking.`,
      '',
    );
    for (const c of plan.changes)
      out.push(
        `- ${c.action} ${c.kind} \`${c.name}\`${
          c.fields.length > 0
            ? `: ${c.fields
                .map((f) => f.path)
                .slice(0, 6)
                .join(', ')}`
            : ''
        }`,
      );
    if (plan.breakingChanges.length > 0) out.push('', '**Breaking changes**', ...plan.breakingChanges.map((b) => `- ${b.message}`));
    if (plan.migrations.pending.length > 0) {
      out.push('', '**Migrations, in order**');
      plan.migrations.pending.forEach((m, i) =>
        out.push(`${i + 1}. \`${m.name}\` — ${m.description || 'no description'} (${m.reversible ? 'has down steps' : '**no down steps**'})`),
      );
    }
    const lintFindings = review.findings.filter((f) => f.source === 'lint');
    if (lintFindings.length > 0) out.push('', '**Lint findings**', ...lintFindings.map((f) => `- ${f.severity}: ${f.message} — fix: ${f.fix}`));
    out.push('', `**Risk: ${plan.risk.level}**`, ...plan.risk.reasons.map((r) => `- ${r}`));
    out.push('', `**Policy: ${plan.policy.outcome}**`, ...plan.policy.reasons.map((r) => `- ${r}`));
    if (plan.policy.approval.required) out.push(`- approval by ${plan.policy.approval.approvers.join(' or ') || 'a person'} (honua deployment approve ID)`);
    out.push('');
  }
  out.push(
    '## How to test',
    '',
    '```sh',
    `git fetch origin ${branch} && git checkout ${branch}`,
    'honua validate',
    ...plans.map((p) => `honua plan -e ${p.environment} --against ${base}`),
    `honua dev apply        # development, then: honua test -e development`,
    '```',
    '',
  );
  if (notes?.trim()) out.push("## The consultant's notes", '', '> ' + notes.trim().replace(/\r?\n/g, '\n> '), '');
  out.push('---', '_Planned by Honua. Merging deploys nothing by itself: every environment deploys under its own policy and approvals._');
  return { markdown: out.join('\n'), risk, files, plans };
}

/**
 * Where the repository's pull requests go: the origin remote, and GitHub as the flags and the
 * variables name it (undefined `github` when nothing names a GitHub repository). The one place
 * the pull request, the review comment and a review of `#N` find GitHub.
 */
export async function githubOf(engine: Engine): Promise<{
  git: GitRepository;
  origin: string | undefined;
  github: ReturnType<typeof resolveGitHubTarget> | undefined;
  client: () => GitHubClient;
}> {
  const repoDir = engine.workspace.repoDir;
  if (!repoDir) throw new HonuaError('no-config-repo', 'pull requests need the config repository');
  const git = new GitRepository(repoDir);
  const origin = await git.originUrl();
  const settings = engine.workspace.github ?? { env: {} };
  let github: ReturnType<typeof resolveGitHubTarget> | undefined;
  try {
    github = resolveGitHubTarget({
      flags: { ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}), ...(settings.repo ? { repo: settings.repo } : {}) },
      env: settings.env,
      ...(origin ? { originUrl: origin } : {}),
    });
  } catch (error) {
    if (!(isHonuaError(error) && error.code === 'no-github-remote')) throw error;
  }
  const client = (): GitHubClient => {
    if (!github) throw new HonuaError('no-github-remote', 'the origin remote is not on GitHub', { hint: 'Pass --github-repo OWNER/NAME.' });
    return new GitHubClient({
      apiUrl: github.apiUrl,
      owner: github.owner,
      repo: github.repo,
      ...(github.token ? { token: github.token } : {}),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
  };
  return { git, origin, github, client };
}

export async function openPullRequest(engine: Engine, request: PullRequestRequest, redact: (text: string) => string = (t) => t): Promise<PullRequestOutcome> {
  const { git, origin, github, client } = await githubOf(engine);
  if (!github?.token) {
    // Nothing opened: the branch is pushed, and the outcome says exactly how to open the request.
    const base = request.base ?? (await localDefault(git));
    const body = await pullRequestBody(engine, request.branch, base, request.notes);
    const remote = origin ? parseRemoteUrl(origin) : undefined;
    const web = github ? (github.apiUrl === 'https://api.github.com' ? 'https://github.com' : github.apiUrl.replace(/\/api\/v3$/, '')) : undefined;
    const url = github
      ? `${web}/${github.owner}/${github.repo}/compare/${encodeURIComponent(base)}...${request.branch.split('/').map(encodeURIComponent).join('/')}?expand=1`
      : remote
        ? compareUrl(remote, base, request.branch)
        : undefined;
    const reason = github
      ? 'no GITHUB_TOKEN or GH_TOKEN is set'
      : origin
        ? `the origin remote (${remote ? `${remote.provider} ${remote.host}` : 'not a hosted repository'}) is not on GitHub`
        : 'the repository has no origin remote';
    const howTo = github
      ? `Open ${url}, or set GITHUB_TOKEN (a token that may write pull requests) and run again, or: gh pr create --head ${request.branch} --base ${base}`
      : url
        ? `Open ${url} to create the ${remote?.provider === 'gitlab' ? 'merge request' : 'pull request'}; the branch is pushed.`
        : `The branch ${request.branch} is in the repository${origin ? ' and pushed to origin' : ''}; open a pull request from it where the repository is hosted, or pass --github-repo OWNER/NAME.`;
    return {
      opened: false,
      branch: request.branch,
      base,
      labels: labelsFor(body.risk),
      risk: body.risk,
      warnings: [],
      reason,
      ...(url ? { compareUrl: url } : {}),
      howTo,
    };
  }
  const gh = client();
  const base = request.base ?? (await gh.defaultBranch());
  const body = await pullRequestBody(engine, request.branch, (await hasRef(git, base)) ? base : await localDefault(git), request.notes);
  const pr = await gh.openPullRequest({
    head: request.branch,
    base,
    title: redact(request.title),
    body: redact(body.markdown),
    labels: labelsFor(body.risk),
    ...(request.draft ? { draft: true } : {}),
  });
  return { opened: true, branch: request.branch, base, number: pr.number, url: pr.url, labels: pr.labels, risk: body.risk, warnings: pr.warnings };
}

const labelsFor = (risk: string): string[] => ['honua', `risk:${risk.toLowerCase()}`];

async function hasRef(git: GitRepository, ref: string): Promise<boolean> {
  return git.resolveCommit(ref).then(
    () => true,
    () => false,
  );
}

/** The branch a proposal starts from locally: the checked-out one, else main/master. */
async function localDefault(git: GitRepository): Promise<string> {
  const current = await git.currentBranch();
  if (current && !current.startsWith('honua/') && !current.startsWith('feature/')) return current;
  for (const b of ['main', 'master']) if (await hasRef(git, b)) return b;
  return current ?? 'HEAD';
}

/** Posts a review comment on a pull request (`honua-ai review #N`); skipped, with the reason, without a token. */
export async function commentOnPullRequest(engine: Engine, number: number, body: string): Promise<{ url: string } | { skipped: string }> {
  if (!engine.workspace.repoDir) return { skipped: 'no config repository' };
  const { github, client } = await githubOf(engine);
  if (!github) return { skipped: 'the origin remote is not on GitHub' };
  if (!github.token) return { skipped: 'no GITHUB_TOKEN or GH_TOKEN' };
  return client().postReviewComment(number, body);
}
