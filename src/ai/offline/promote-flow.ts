import type { Intent } from './intent.js';
import { type Flow, environmentNames } from './flow.js';
import { operationAnswer } from './deployment-answer.js';
import { personCommand, scheduling } from './operate-flow.js';
import { type PullRequestOutcome, pullRequestLines } from './pull-request-flow.js';
import { requestText } from './request-text.js';
import { type Step, call, failed, finished, nobodyToConfirm, problem, question } from './step.js';
import { needsPropose } from './surface.js';

/**
 * A promotion (`propose_promotion`): one environment's layers and services brought to the next as
 * a proposal branch (and a pull request). A side not named is the neighbour of the other in the
 * repository's order, said as an assumption. With a time, in operate mode, the target's
 * deployment of the promotion branch is then scheduled (schedule_deployment); outside operate
 * mode the answer says how to schedule it instead. Deploying it is never implied: it is a
 * deployment of its own, under the target's policy.
 */
export type Promotion = Extract<Intent, { kind: 'promote' }>;

export function promoteStep(p: Promotion, flow: Flow): Step {
  if (!flow.tools.has('propose_promotion')) return needsPropose(flow.surface, 'propose_promotion', requestText(p));
  let { from, to } = p;
  if (from === undefined || to === undefined) {
    const envs = flow.last('list_environments');
    if (!envs) return call('list_environments');
    const names = environmentNames(envs);
    const at = (name: string | undefined) => (name === undefined ? -1 : names.indexOf(name));
    if (from === undefined && to !== undefined && at(to) > 0) from = names[at(to) - 1];
    if (to === undefined && from !== undefined && at(from) >= 0 && at(from) < names.length - 1) to = names[at(from) + 1];
    if (from === undefined || to === undefined) {
      const pairs = names.slice(1).map((n, i) => ({ from: names[i]!, to: n }));
      return flow.ask(
        `Promote which environment to which? ${names.length > 0 ? `The repository's environments, in order: ${names.join(', ')}.` : ''}`,
        pairs.map((x) => ({ label: `${x.from} → ${x.to}`, request: requestText({ ...p, ...x }) })),
      );
    }
    flow.assume(
      `I took this to mean promoting ${from} to ${to}, the ${p.from === undefined ? 'environment before' : 'next environment after'} it in the repository's order.`,
    );
  }
  const promoted = flow.last('propose_promotion');
  if (!promoted) return call('propose_promotion', { from, to });
  if (!promoted.ok) {
    if (nobodyToConfirm(promoted))
      return question(
        `Nobody could confirm the promotion, so I did not propose it.${flow.surface.kind === 'ask' && flow.surface.rerun ? ` To allow proposals (a branch and a commit; nothing is deployed), run:\n  ${flow.surface.rerun(requestText({ ...p, from, to }), ['--yes'])}` : ''}`,
      );
    if (promoted.errorCode === 'not-confirmed') return failed(`You did not allow the promotion of ${from} to ${to}, so nothing was proposed.`);
    return failed(`I did not propose the promotion of ${from} to ${to}: ${problem(promoted)}`);
  }
  const r = promoted.data as {
    branch: string;
    commit: string;
    files: Array<{ path: string; status: string }>;
    receives: { added: string[]; modified: string[]; removed: string[] };
    kept: string[];
    pushedTo: string[];
    pullRequest?: PullRequestOutcome;
  };
  const lines = [
    `Proposed the promotion of ${from} to ${to}: branch ${r.branch}, commit ${r.commit.slice(0, 12)}${r.pushedTo.length > 0 ? `, pushed to ${r.pushedTo.join(' and ')}` : ''}.`,
    `${to} receives: ${[...r.receives.added.map((k) => `+ ${k}`), ...r.receives.modified.map((k) => `~ ${k}`)].join(', ') || 'file changes only'}.`,
    'Files:',
    ...r.files.map((f) => `  - ${f.path} (${f.status})`),
    ...(r.kept.length > 0 ? [`Kept in ${to} (nothing in ${from} replaces them): ${r.kept.join(', ')}.`] : []),
    ...(r.pullRequest ? pullRequestLines(r.pullRequest) : []),
  ];
  // "…in the next window": the target's deployment of the branch, which waits for the policy's window (and approval) by itself.
  if (p.at === undefined && p.nextWindow) {
    const deploy = { kind: 'deploy' as const, environment: to, ref: r.branch };
    if (!flow.tools.has('request_deployment'))
      return finished(
        [
          ...lines,
          `Not requested: deploying it in the next window is an operation, and this session is in ${flow.mode} mode. Ask again in an operate session (\`honua-ai chat --mode operate\`), or a person runs ${personCommand(deploy)} (it waits for the window).`,
        ].join('\n'),
      );
    const requested = flow.last('request_deployment');
    if (!requested) return call('request_deployment', { environment: to, ref: r.branch });
    const answer = operationAnswer(requested, `Deploying ${r.branch} to ${to}`, personCommand(deploy));
    return 'text' in answer ? { ...answer, text: [...lines, answer.text].join('\n') } : answer;
  }
  if (p.at === undefined)
    return finished(
      [...lines, `Nothing is deployed: deploying it to ${to} is a deployment of its own, under ${to}'s policy (its approval and its window).`].join('\n'),
    );
  const schedule = { kind: 'schedule' as const, environment: to, at: p.at, ref: r.branch };
  if (!flow.tools.has('schedule_deployment'))
    return finished(
      [
        ...lines,
        `Not scheduled: scheduling the deployment (${p.at}) is an operation, and this session is in ${flow.mode} mode. Ask again in an operate session (\`honua-ai chat --mode operate\`), or a person runs \`honua-ai promote --from ${from} --to ${to} --schedule "${p.at}"\` (or ${personCommand(schedule)}).`,
      ].join('\n'),
    );
  const s = scheduling(flow, { environment: to, at: p.at, ref: r.branch }, p.nextWindow === true);
  if ('call' in s) return s.call;
  // The promotion stands; the schedule asked for did not happen, and the answer says when it could.
  if (s.done.errorCode === 'outside-window') return failed([...lines, ...s.lines].join('\n'));
  const scheduled = operationAnswer(s.done, `Scheduling ${r.branch} for ${to} at ${p.at}`, personCommand(schedule), { lead: s.lines });
  return 'text' in scheduled ? { ...scheduled, text: [...lines, scheduled.text].join('\n') } : scheduled;
}
