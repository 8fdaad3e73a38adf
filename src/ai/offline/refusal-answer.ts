import type { Intent } from './intent.js';
import type { Flow } from './flow.js';
import type { Step } from './step.js';

/**
 * A refusal is understood and answered plainly, but what was asked is not done: for scripts it is
 * a request that failed (`honua-ai ask` exits 1), as it always was.
 */
const answered = (lines: string[]): Step => ({ text: lines.join('\n'), outcome: 'failed' });

/**
 * The plain answer to a request the consultant never carries out: approving a deployment, or
 * going around the policy. No tool is called. It says who can do it and how — an approver the
 * environment's policy names runs `honua deployment approve ID` — and, for a bypass, what the
 * planner can do instead: request the deployment (in an operate session), which then waits for
 * that approval and that window like any other.
 */
export function refusalAnswer(r: Extract<Intent, { kind: 'refuse' }>, flow: Flow): Step {
  const id = r.deployment ?? 'ID';
  const policy = r.environment ? `the ${r.environment} policy` : "the environment's policy";
  if (r.refusal === 'approve')
    return answered([
      'I cannot approve deployments: approval is a human decision, and the consultant never approves (it has no tool that could).',
      `An approver named by ${policy} approves it with:`,
      `  honua deployment approve ${id}`,
      `or rejects it with \`honua deployment reject ${id}\`. \`honua deployments ${r.environment ?? '<environment>'}\` shows what waits for an approval, and \`honua deployment show ${id}\` who may give it.`,
      ...(r.deployment === undefined ? [] : ['I can review it first, if that helps the approver: "review ' + r.deployment + '".']),
      'Nothing else in this request was done; ask for the rest on its own.',
    ]);
  const env = r.environment ?? 'production';
  const offer =
    flow.mode === 'operate'
      ? `What I can do instead: request the deployment — it will wait for that approval and that window like any other. Say "deploy to ${env}".`
      : `In an operate session (\`honua-ai chat --mode operate\`) I can request the deployment — it would wait for that approval and that window like any other.`;
  return answered([
    'I will not go around the deployment policy: no skipping its approval or its window, no forcing a deployment through, no disabling the policy.',
    `${env === 'production' ? 'Production deployments' : `Deployments to ${env}`} go through the policy's approval and its deployment window, whoever asks.`,
    `A person deploys with \`honua deploy -e ${env}\`; it then waits for an approver named by ${policy}, who runs \`honua deployment approve ID\`, and starts when the window allows.`,
    'Changing the policy itself is a reviewed change to the repository (a proposal), deployed like any other.',
    offer,
  ]);
}
