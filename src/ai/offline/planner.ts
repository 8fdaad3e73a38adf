import { closest } from 'fastest-levenshtein';
import { isNear } from '../../config/index.js';
import { resourceName } from '../../generate/index.js';
import type { GenerateRequest, GenerateResult, Message, Provider, StreamEvent, ToolCall } from '../providers/provider.js';
import type { Intent } from './intent.js';
import { matchTable, type TableCandidate, type TableRef } from './match-table.js';
import { parseIntent } from './parse-intent.js';
import { type Awaiting, type Flow, flowOf } from './flow.js';
import { type Done, type Step, failed, finished, lastExchange, nobodyToConfirm, problem, question, report, unwrap } from './step.js';
import { type PlannerSurface, modeOf, needsPropose } from './surface.js';
import { describeDiff, describeEnvironments, describePlan, describeValidation } from './describe-config.js';
import { describeTable, describeTables } from './describe-database.js';
import { environmentStep } from './environment-flow.js';
import { operationStep } from './operate-flow.js';
import { promoteStep } from './promote-flow.js';
import { openPullRequestStep, pullRequestAfter } from './pull-request-flow.js';
import { refusalAnswer } from './refusal-answer.js';
import { reviewStep } from './review-flow.js';

export type { PlannerSurface } from './surface.js';

/**
 * The offline planner: a Provider that needs no model and no network. It understands the common
 * requests (add a layer from a table, add a spatial index, describe the database or a table,
 * validate, diff, plan, list environments; review, promote, schedule, deploy, roll back, restore;
 * status, history, what failed, health, backups), matches table names against the inspected
 * schema, asks a question rather than guessing, and calls the same guarded tools a model would —
 * so the gate, the confirmations and the audit log apply to it exactly as to a model.
 *
 * Each turn it reads the conversation since the person's last message (its own tool calls and
 * their results) and decides the next call or the final answer. A clarifying question is
 * remembered, so "planning" after "which service?" continues the request. The session's mode is
 * read from the tools offered (surface.ts, modeOf): a tool the mode does not allow is never
 * called; the answer says how to get the mode. Approving is never done, in any mode: requests to
 * approve or to go around the policy are answered with who can do it and how (refusal-answer.ts).
 */
interface Pending {
  intent: Intent;
  awaiting: Awaiting;
  options: string[];
}

const ENV_LIST = (envs: string[] | undefined) => (envs && envs.length > 0 ? { environments: envs } : {});

export const OFFLINE_CAPABILITIES = `Offline, without a model, I can:
  - add a layer from a table          "add a layer for the parks table"
  - add a layer and a pull request    "propose a layer for parks", "add parks and open a PR"
  - add a spatial index to a table    "add a spatial index to bike_lanes"
  - describe the database or a table  "what's in the database?", "describe street_trees"
  - validate the configuration        "validate production"
  - diff environments or commits      "diff staging and production", "compare HEAD~1 with HEAD"
  - plan a deployment                 "plan production"
  - review a change before it ships   "review PR #12", "review the branch feature/add-parks-layer"
  - promote an environment            "promote staging to production"
  - say what runs, and what failed    "status of production", "last 5 deployments in staging", "what failed?"
  - check health, list backups        "is production healthy?", "list backups of production"
  - list the environments             "which environments are there?"
In an operate session (--mode operate), where a person confirms each one:
  - deploy, or schedule a deployment  "deploy to staging", "schedule migration 003 for production next-tuesday 10:00"
  - roll back, restore                "roll back production", "restore production from the latest backup"
I never approve a deployment: an approver the policy names runs \`honua deployment approve ID\`.
For anything else, configure a model: set OPENAI_API_KEY or ANTHROPIC_API_KEY, or point
HONUA_AI_BASE_URL at a local OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio)
with HONUA_AI_PROVIDER=openai and HONUA_AI_MODEL=<model>. See docs/consultant.md.`;

export class OfflinePlanner implements Provider {
  readonly name = 'offline';
  readonly model = 'offline-planner';
  private pending: Pending | undefined;
  private counter = 0;
  /** What the planner assumed this turn ("I took parcles to mean public.parcels"), said first in its answer. */
  private assumed: string[] = [];

  private conversation: readonly Message[] = [];

  constructor(private readonly surface: PlannerSurface = { kind: 'chat' }) {}

  /** "Approve it": the deployment this conversation requested that waits for an approval, when there is one. */
  private waitingInConversation(): { deployment?: string; environment?: string } {
    for (const m of [...this.conversation].reverse()) {
      const d = m.role === 'tool' ? (m.structured as { id?: unknown; state?: unknown; environment?: unknown } | undefined) : undefined;
      if (d && d.state === 'AwaitingApproval' && typeof d.id === 'string')
        return { deployment: d.id, ...(typeof d.environment === 'string' ? { environment: d.environment } : {}) };
    }
    return {};
  }

  async generate(request: GenerateRequest, onEvent?: (event: StreamEvent) => void): Promise<GenerateResult> {
    const { user, done: calls } = lastExchange(request.messages);
    if (calls.length === 0) this.assumed = [];
    this.conversation = request.messages;
    const step = this.decide(user, calls, new Set(request.tools.map((t) => t.name)));
    if ('call' in step) {
      const call: ToolCall = { id: `offline-${++this.counter}`, name: step.call, arguments: step.args };
      onEvent?.({ type: 'tool-call', call });
      return { text: '', toolCalls: [call], stopReason: 'tool-calls', usage: { inputTokens: 0, outputTokens: 0 } };
    }
    const text = [...this.assumed, step.text].join('\n');
    onEvent?.({ type: 'text', text });
    return { text, toolCalls: [], stopReason: 'end', usage: { inputTokens: 0, outputTokens: 0 }, outcome: step.outcome };
  }

  /** The intent of the person's message, continuing a pending question when the message answers it. */
  private intentOf(user: string): Intent {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      const answer = user
        .trim()
        .replace(/^(the|use|in|into|under|for|to)\s+/i, '')
        .replace(/^(the|our)\s+/i, '')
        .replace(/\s+(service|table|environment|env|please)\.?$/i, '')
        .replace(/[."'`]/g, '')
        .trim()
        .toLowerCase();
      const chosen = pending.options.find((o) => o.toLowerCase() === answer || o.toLowerCase().endsWith(`.${answer}`));
      if (chosen && pending.awaiting === 'service' && pending.intent.kind === 'add-layer') return { ...pending.intent, service: chosen };
      if (chosen && pending.awaiting === 'table' && 'table' in pending.intent) return { ...pending.intent, table: chosen } as Intent;
      if (chosen && pending.awaiting === 'environment') return { ...pending.intent, environment: chosen } as Intent;
    }
    return parseIntent(user);
  }

  /** The request in words, for a command that runs it again with an answer folded in. */
  private requestFor(intent: Intent, table: string, service?: string): string {
    const envs = 'environments' in intent && intent.environments && intent.environments.length > 0 ? ` in ${intent.environments.join(', ')}` : '';
    const pr = 'pullRequest' in intent && intent.pullRequest ? ' and open a pull request' : '';
    if (intent.kind === 'add-layer')
      return `add a layer for the ${table} table${(service ?? intent.service) ? ` in the ${service ?? intent.service} service` : ''}${envs}${pr}`;
    if (intent.kind === 'add-spatial-index') return `add a spatial index to ${table}${intent.column ? ` on ${intent.column}` : ''}${pr}`;
    return `describe ${table}`;
  }

  /** A question: in a conversation, asked; in one-shot ask, followed by the commands that answer it. */
  private ask(text: string, answers: Array<{ label: string; request: string }>): Step {
    if (this.surface.kind === 'ask' && this.surface.rerun && answers.length > 0) {
      return question(`${text}\nRun one of:\n${answers.map((a) => `  ${this.surface.rerun!(a.request)}`).join('\n')}`);
    }
    return question(text);
  }

  /** What a flow in its own file may see and do this step. */
  private flow(done: Done[], tools: Set<string>): Flow {
    return flowOf({
      done,
      tools,
      mode: modeOf(tools),
      surface: this.surface,
      ask: (text, answers, pending) => {
        if (pending) this.pending = pending;
        return this.ask(text, answers);
      },
      assume: (text) => {
        if (!this.assumed.includes(text)) this.assumed.push(text);
      },
    });
  }

  private decide(user: string, done: Done[], tools: Set<string>): Step {
    // The intent is fixed by the first step of the turn; later steps read it back from the first call's marker.
    const intent = done.length === 0 ? (this.current = this.intentOf(user)) : this.current;
    if (!intent) return failed(OFFLINE_CAPABILITIES);
    const find = (name: string) => [...done].reverse().find((d) => d.name === name);

    switch (intent.kind) {
      case 'help':
        return { text: OFFLINE_CAPABILITIES, outcome: 'done' };
      case 'unknown':
        return failed(`I did not understand that offline${intent.reason ? ` (${intent.reason})` : ''}. ${OFFLINE_CAPABILITIES}`);
      case 'refuse': {
        const waiting = this.waitingInConversation();
        const deployment = intent.deployment ?? waiting.deployment;
        const environment = intent.environment ?? waiting.environment;
        return refusalAnswer({ ...intent, ...(deployment ? { deployment } : {}), ...(environment ? { environment } : {}) }, this.flow(done, tools));
      }
      case 'review':
        return reviewStep(intent, this.flow(done, tools));
      case 'promote':
        return promoteStep(intent, this.flow(done, tools));
      case 'deploy':
      case 'schedule':
      case 'rollback':
      case 'restore':
        return operationStep(intent, this.flow(done, tools));
      case 'status':
      case 'deployment':
      case 'history':
      case 'incident':
      case 'health':
      case 'backups':
        return environmentStep(intent, this.flow(done, tools));
      case 'open-pull-request':
        return openPullRequestStep(intent, this.flow(done, tools));
      case 'list-environments': {
        const r = find('list_environments');
        if (!r) return { call: 'list_environments', args: {} };
        return report(r, describeEnvironments, 'I could not list the environments');
      }
      case 'validate': {
        const r = find('validate_config');
        if (!r) return { call: 'validate_config', args: intent.environment ? { environments: [intent.environment] } : {} };
        return report(r, describeValidation, 'Validation could not run');
      }
      case 'plan': {
        const r = find('plan_deployment');
        if (!r) return { call: 'plan_deployment', args: intent.environment ? { environment: intent.environment } : {} };
        return report(r, describePlan, 'I could not plan');
      }
      case 'diff': {
        const r = find('diff_config');
        if (!r) {
          const envs = ['development', 'staging', 'production'];
          if (intent.from && intent.to && envs.includes(intent.from) && envs.includes(intent.to))
            return { call: 'diff_config', args: { fromEnvironment: intent.from, toEnvironment: intent.to } };
          if (intent.from) return { call: 'diff_config', args: { from: intent.from, ...(intent.to ? { to: intent.to } : {}) } };
          return { call: 'diff_config', args: { fromEnvironment: 'staging', toEnvironment: 'production' } };
        }
        return report(r, describeDiff, 'I could not diff');
      }
      case 'describe-database': {
        const r = find('list_tables');
        // A schema named ("what's in the transit schema?") is what is listed.
        if (!r) return { call: 'list_tables', args: intent.schema ? { schema: intent.schema } : {} };
        return report(r, describeTables, 'I could not read the database');
      }
      case 'describe-table':
      case 'add-layer':
      case 'add-spatial-index': {
        const tables = find('list_tables');
        if (!tables) return { call: 'list_tables', args: {} };
        if (!tables.ok) return failed(`I could not read the database: ${problem(tables)}`);
        if (!intent.table) {
          this.pending = { intent, awaiting: 'table', options: tableNames(tables) };
          return this.ask(
            `Which table? The database has: ${tableNames(tables).join(', ')}.`,
            tableNames(tables)
              .slice(0, 5)
              .map((t) => ({ label: t, request: this.requestFor(intent, t) })),
          );
        }
        const match = matchTable(intent.table, candidates(tables));
        if (match.kind === 'ambiguous') {
          const options = match.candidates.map(qualified);
          this.pending = { intent, awaiting: 'table', options };
          return this.ask(
            `"${intent.table}" could be ${options.join(' or ')}. Which one do you mean?`,
            options.map((o) => ({ label: o, request: this.requestFor(intent, o) })),
          );
        }
        if (match.kind === 'none') {
          return failed(
            `I found no table matching "${intent.table}".${match.suggestions.length > 0 ? ` Did you mean ${match.suggestions.map(qualified).join(', ')}?` : ''} The database has: ${tableNames(tables).join(', ')}.`,
          );
        }
        const table = qualified(match.table);
        if (match.assumed && this.assumed.length === 0) this.assumed.push(`I took "${intent.table}" to mean ${table}.`);
        if (intent.kind === 'describe-table') {
          const r = find('describe_table');
          if (!r) return { call: 'describe_table', args: { table, sampleRows: 3 } };
          return report(r, describeTable, 'I could not describe it');
        }
        if (intent.kind === 'add-layer') return this.addLayer(intent, table, done, tools);
        return this.addIndex(intent, table, done, tools);
      }
    }
  }

  private current: Intent | undefined;

  /**
   * The service a request names — with the word ("in the transport service") or without ("in
   * planning", "under transportation") — matched against the repository's services: exactly, or
   * as the only one it starts (a near name is said as an assumption). None named: none passed,
   * and generate_layer infers it or asks.
   */
  private serviceFor(intent: Intent & { kind: 'add-layer' }, done: Done[]): { service?: string } | { call: string; args: Record<string, unknown> } {
    const named = intent.service ?? intent.serviceHint;
    if (!named) return {};
    const envs = [...done].reverse().find((d) => d.name === 'list_environments');
    if (!envs) return { call: 'list_environments', args: {} };
    const services = [...new Set(((envs.data as { environments?: Array<{ services: string[] }> }).environments ?? []).flatMap((e) => e.services))];
    const want = named.toLowerCase();
    const exact = services.find((s) => s.toLowerCase() === want);
    if (exact) return { service: exact };
    const starts = services.filter((s) => s.toLowerCase().startsWith(want) || want.startsWith(s.toLowerCase()));
    const near = starts.length === 1 ? starts[0] : services.length > 0 ? closest(want, services) : undefined;
    if (near && (starts.length === 1 || isNear(want, near, 'assume'))) {
      this.assumed.push(`I took "${named}" to mean the ${near} service.`);
      return { service: near };
    }
    // An explicit name that matches nothing goes to generate_layer, which names the services there are; a hint is dropped.
    return intent.service ? { service: intent.service } : {};
  }

  private addLayer(intent: Intent & { kind: 'add-layer' }, table: string, done: Done[], tools: Set<string>): Step {
    const request = this.requestFor(intent, table);
    if (!tools.has('generate_layer')) return needsPropose(this.surface, 'generate_layer', request);
    const gen = [...done].reverse().find((d) => d.name === 'generate_layer');
    if (!gen) {
      const svc = this.serviceFor(intent, done);
      if ('call' in svc) return svc;
      return { call: 'generate_layer', args: { table, ...(svc.service ? { service: svc.service } : {}), ...ENV_LIST(intent.environments) } };
    }
    if (!gen.ok) {
      if (gen.errorCode === 'service-required') {
        const services = servicesFrom(gen);
        this.pending = { intent: { ...intent, table }, awaiting: 'service', options: services };
        return this.ask(
          `Which service should publish ${table}? ${services.length > 0 ? `The repository has: ${services.join(', ')}.` : ''}${this.surface.kind === 'chat' ? ' (Answer with the service name.)' : ''}`,
          services.map((svc) => ({ label: svc, request: this.requestFor(intent, table, svc) })),
        );
      }
      return failed(`I could not generate the layer: ${problem(gen)}`);
    }
    const draft = gen.data as {
      draftId: string;
      collectionId: string;
      files: Array<{ path: string }>;
      notes: string[];
      validation: { valid: boolean; problems: Array<{ message: string; severity: string }> };
    };
    if (!draft.validation.valid)
      return failed(
        `I generated the layer, but it does not validate, so I did not propose it:\n${draft.validation.problems.map((p) => `  - ${p.severity}: ${p.message}`).join('\n')}`,
      );
    const name = draft.collectionId.split('::')[1] ?? resourceName(table);
    return this.propose(
      `feature/add-${name}-layer`,
      `Add ${draft.collectionId} layer from ${table}\n\nGenerated by the Honua consultant from the database catalog.`,
      draft,
      done,
      tools,
      `Layer ${draft.collectionId} from ${table}`,
      request,
      intent.pullRequest === true,
    );
  }

  private addIndex(intent: Intent & { kind: 'add-spatial-index' }, table: string, done: Done[], tools: Set<string>): Step {
    const request = this.requestFor(intent, table);
    if (!tools.has('generate_migration')) return needsPropose(this.surface, 'generate_migration', request);
    const gen = [...done].reverse().find((d) => d.name === 'generate_migration');
    if (!gen) return { call: 'generate_migration', args: { kind: 'spatial-index', table, ...(intent.column ? { column: intent.column } : {}) } };
    if (!gen.ok) return failed(`I did not generate the migration: ${problem(gen)}`);
    const draft = gen.data as {
      draftId: string;
      migration: string;
      files: Array<{ path: string }>;
      notes: string[];
      validation: { valid: boolean; problems: Array<{ message: string; severity: string }> };
    };
    if (!draft.validation.valid)
      return failed(
        `I generated the migration, but it does not validate, so I did not propose it:\n${draft.validation.problems.map((p) => `  - ${p.severity}: ${p.message}`).join('\n')}`,
      );
    return this.propose(
      `feature/${draft.migration.replace(/_/g, '-')}`,
      `Add migration ${draft.migration}\n\nA GiST index built CONCURRENTLY on ${table}, generated by the Honua consultant.`,
      draft,
      done,
      tools,
      `Migration ${draft.migration} (spatial index on ${table})`,
      request,
      intent.pullRequest === true,
    );
  }

  private propose(
    branch: string,
    message: string,
    draft: { draftId: string; files: Array<{ path: string }>; notes: string[] },
    done: Done[],
    tools: Set<string>,
    what: string,
    request: string,
    pullRequest: boolean,
  ): Step {
    if (!tools.has('write_proposal')) return needsPropose(this.surface, 'write_proposal', request);
    // A pull request follows every proposal the request or the surface asks one for: from the branch written, or the one that has it already.
    const rerunYes = this.surface.kind === 'ask' && this.surface.rerun ? this.surface.rerun(request, ['--yes']) : undefined;
    const answer = (onBranch: string, lines: string[]): Step => {
      if (!pullRequest && !this.surface.pullRequest) return finished(lines.join('\n'));
      const pr = pullRequestAfter(this.flow(done, tools), onBranch, message.split('\n')[0]!, rerunYes);
      return 'call' in pr ? pr.call : finished([...lines, ...pr.lines].join('\n'));
    };
    const attempts = done.filter((d) => d.name === 'write_proposal');
    const wrote = attempts.at(-1);
    // A branch of that name exists with other content: the next free name, and the answer says why.
    if (!wrote || (wrote === done.at(-1) && !wrote.ok && wrote.errorCode === 'branch-exists' && attempts.length < 5)) {
      const suffix = attempts.length === 0 ? '' : `-${attempts.length + 1}`;
      return { call: 'write_proposal', args: { branch: `${branch}${suffix}`, message, draftIds: [draft.draftId] } };
    }
    const files = draft.files.map((f) => `  - ${f.path}`).join('\n');
    if (!wrote.ok) {
      if (wrote.errorCode === 'proposal-exists') {
        const existing = (wrote.error?.message ?? '').match(/on (\S+) \(([0-9a-f]+)\)/);
        const where = existing?.[1] ?? branch;
        return answer(where, [
          `${what} is already proposed, unchanged: ${where}${existing?.[2] ? ` (${existing[2]})` : ''} has these files with this content, so nothing new was made.`,
          `Review it with \`git log -p ${where}\`, then merge it to deploy through the pipeline.`,
        ]);
      }
      if (wrote.errorCode === 'not-confirmed') {
        if (nobodyToConfirm(wrote)) {
          const how =
            this.surface.kind === 'ask' && this.surface.rerun
              ? `To allow proposals (a branch and a commit; nothing is deployed), run:\n  ${this.surface.rerun(request, ['--yes'])}`
              : 'Confirm it when asked to make the branch.';
          return question(
            `${what} is drafted and validates, but nobody could confirm the proposal, so I did not commit it.\nFiles it would add:\n${files}\n${how}`,
          );
        }
        return failed(`${what} is drafted and validates, but you did not allow the proposal, so nothing was committed.\nFiles it would add:\n${files}`);
      }
      return failed(`${what} is drafted and validates, but I did not commit it: ${problem(wrote)}\nFiles it would add:\n${files}`);
    }
    const r = wrote.data as { branch: string; commit: string; files: Array<{ path: string; status: string }>; pushedTo: string[]; notes: string[] };
    const renamed = attempts.length > 1 ? [`${branch} already exists with different content, so this proposal is on ${r.branch}.`] : [];
    const lines = [
      `Created proposal: ${r.branch}`,
      `${what}`,
      ...renamed,
      'Files changed:',
      ...r.files.map((f) => `  - ${f.path} (${f.status})`),
      'Validated: the configuration has no errors with these files.',
      `Commit ${r.commit.slice(0, 12)} on ${r.branch}; pushed to ${r.pushedTo.join(' and ')}.`,
      ...[...draft.notes, ...r.notes].map((n) => `Note: ${n}`),
      `Review it with \`git log -p ${r.branch}\`, then merge it to deploy through the pipeline. Nothing has been deployed.`,
    ];
    return answer(r.branch, lines);
  }
}

const qualified = (t: TableRef): string => (t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);

function candidates(r: Done): TableCandidate[] {
  const tables = (r.data as { tables?: Array<{ table: string; comment: string | null }> }).tables ?? [];
  return tables.map((t) => {
    const [schema, ...rest] = t.table.split('.');
    return { schema: schema ?? 'public', name: rest.join('.'), comment: t.comment === null ? null : unwrap(t.comment) };
  });
}

const tableNames = (r: Done): string[] => candidates(r).map(qualified);

function servicesFrom(d: Done): string[] {
  const m = /has ([\w-]+(?:, [\w-]+)*)/.exec(d.error?.message ?? unwrap(d.content));
  return m?.[1]?.split(', ') ?? [];
}
