import type { Intent } from './intent.js';
import type { Flow } from './flow.js';
import { type Done, type Step, call, failed, finished, nobodyToConfirm, problem } from './step.js';
import { needsPropose } from './surface.js';

/**
 * Pull requests: after a proposal when the request (or the surface) asks for one, or on their own
 * from a branch that exists. Honua writes the body from the branch; the answer gives the pull
 * request's URL, or — when none was opened (no GitHub remote, no token) — why, and exactly how to
 * open it. Merging stays a person's decision.
 */
export interface PullRequestOutcome {
  opened: boolean;
  branch: string;
  base: string;
  number?: number;
  url?: string;
  labels: string[];
  risk: string;
  warnings: string[];
  reason?: string;
  compareUrl?: string;
  howTo?: string;
}

/** A pull request outcome in words: its URL, or why none was opened and how to open it. */
export function pullRequestLines(pr: PullRequestOutcome): string[] {
  if (pr.opened)
    return [
      `Pull request${pr.number !== undefined ? ` #${pr.number}` : ''}: ${pr.url ?? '(no URL returned)'} (into ${pr.base}; labels ${pr.labels.join(', ')}).`,
      ...pr.warnings.map((w) => `Note: ${w}`),
    ];
  return [
    `No pull request was opened: ${pr.reason ?? 'the host did not open one'}.`,
    ...(pr.howTo ? [`To open it: ${pr.howTo}`] : []),
    ...(pr.compareUrl && !(pr.howTo ?? '').includes(pr.compareUrl) ? [`Compare: ${pr.compareUrl}`] : []),
  ];
}

/** The lines for an open_pull_request call that did not return an outcome: refused, denied or failed. */
function notOpened(d: Done, branch: string, rerun: string | undefined): string[] {
  if (nobodyToConfirm(d))
    return [
      `Nobody could confirm opening the pull request, so none was opened; ${branch} is there for review.${rerun ? ` To allow it, run:\n  ${rerun}` : ''}`,
    ];
  if (d.errorCode === 'not-confirmed') return [`You did not allow the pull request, so none was opened; ${branch} is there for review.`];
  return [`The pull request was not opened: ${problem(d)}`];
}

/** After a proposal on `branch`: the call that opens its pull request, or the lines that say how it went. */
export function pullRequestAfter(flow: Flow, branch: string, title: string, rerun?: string): { call: Step } | { lines: string[] } {
  const d = flow.last('open_pull_request');
  if (!d) return { call: call('open_pull_request', { branch, title }) };
  return { lines: d.ok ? pullRequestLines(d.data as unknown as PullRequestOutcome) : notOpened(d, branch, rerun) };
}

/** "Add parks layer" from feature/add-parks-layer. */
const titleOf = (branch: string): string => {
  const words = branch
    .replace(/^[^/]*\//, '')
    .replace(/[-_/]+/g, ' ')
    .trim();
  return words.length > 0 ? words[0]!.toUpperCase() + words.slice(1) : branch;
};

export function openPullRequestStep(intent: Extract<Intent, { kind: 'open-pull-request' }>, flow: Flow): Step {
  if (!intent.branch)
    return flow.ask('Which branch should the pull request come from? Name a proposal branch, e.g. "open a pull request for feature/add-parks-layer".', []);
  if (!flow.tools.has('open_pull_request')) return needsPropose(flow.surface, 'open_pull_request', `open a pull request for ${intent.branch}`);
  const step = pullRequestAfter(flow, intent.branch, titleOf(intent.branch));
  if ('call' in step) return step.call;
  const text = [...step.lines, 'Merging it is for a person to decide; merging deploys nothing by itself.'].join('\n');
  return flow.last('open_pull_request')?.ok ? finished(text) : failed(text);
}
