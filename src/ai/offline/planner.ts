import { resourceName } from '../../generate/names.js';
import type { GenerateRequest, GenerateResult, Message, Provider, StreamEvent, ToolCall } from '../providers/provider.js';
import type { Intent } from './intent.js';
import { matchTable, type TableCandidate, type TableRef } from './match-table.js';
import { parseIntent } from './parse-intent.js';

/**
 * The offline planner: a Provider that needs no model and no network. It understands the common
 * requests (add a layer from a table, add a spatial index, describe the database or a table,
 * validate, diff, plan, list environments), matches table names against the inspected schema,
 * asks a question rather than guessing, and calls the same guarded tools a model would — so the
 * gate, the confirmations and the audit log apply to it exactly as to a model.
 *
 * Each turn it reads the conversation since the person's last message (its own tool calls and
 * their results) and decides the next call or the final answer. A clarifying question is
 * remembered, so "planning" after "which service?" continues the request.
 */
interface Pending {
  intent: Intent;
  awaiting: 'table' | 'service';
  options: string[];
}

interface Done {
  name: string;
  args: Record<string, unknown>;
  ok: boolean;
  errorCode?: string;
  content: string;
  data: Record<string, unknown>;
}

const ENV_LIST = (envs: string[] | undefined) => (envs && envs.length > 0 ? { environments: envs } : {});
const unwrap = (s: unknown): string => (typeof s === 'string' ? s.replace(/<\/?untrusted[-_]data[^>]*>/g, '') : '');

export const OFFLINE_CAPABILITIES = `Offline, without a model, I can:
  - add a layer from a table           "add a layer for the parks table"
  - add a spatial index to a table      "add a spatial index to bike_lanes"
  - describe the database or a table    "what's in the database?", "describe street_trees"
  - validate the configuration          "validate production"
  - diff environments or commits        "diff staging and production", "compare HEAD~1 with HEAD"
  - plan a deployment                   "plan production"
  - list the environments               "which environments are there?"
For anything else, configure a model: set OPENAI_API_KEY or ANTHROPIC_API_KEY, or point
HONUA_AI_BASE_URL at a local OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio)
with HONUA_AI_PROVIDER=openai and HONUA_AI_MODEL=<model>. See docs/consultant.md.`;

export class OfflinePlanner implements Provider {
  readonly name = 'offline';
  readonly model = 'offline-planner';
  private pending: Pending | undefined;
  private counter = 0;

  async generate(request: GenerateRequest, onEvent?: (event: StreamEvent) => void): Promise<GenerateResult> {
    const { user, done } = lastExchange(request.messages);
    const step = this.decide(user, done, new Set(request.tools.map((t) => t.name)));
    if ('call' in step) {
      const call: ToolCall = { id: `offline-${++this.counter}`, name: step.call, arguments: step.args };
      onEvent?.({ type: 'tool-call', call });
      return { text: '', toolCalls: [call], stopReason: 'tool-calls', usage: { inputTokens: 0, outputTokens: 0 } };
    }
    onEvent?.({ type: 'text', text: step.text });
    return { text: step.text, toolCalls: [], stopReason: 'end', usage: { inputTokens: 0, outputTokens: 0 } };
  }

  /** The intent of the person's message, continuing a pending question when the message answers it. */
  private intentOf(user: string): Intent {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      const answer = user.trim().replace(/^(the|use|in|to)\s+/i, '').replace(/\s+(service|table|please)\.?$/i, '').replace(/[."'`]/g, '').trim().toLowerCase();
      const chosen = pending.options.find((o) => o.toLowerCase() === answer || o.toLowerCase().endsWith(`.${answer}`));
      if (chosen && pending.awaiting === 'service' && pending.intent.kind === 'add-layer') return { ...pending.intent, service: chosen };
      if (chosen && pending.awaiting === 'table' && 'table' in pending.intent) return { ...pending.intent, table: chosen } as Intent;
    }
    return parseIntent(user);
  }

  private decide(user: string, done: Done[], tools: Set<string>): { call: string; args: Record<string, unknown> } | { text: string } {
    // The intent is fixed by the first step of the turn; later steps read it back from the first call's marker.
    const intent = done.length === 0 ? (this.current = this.intentOf(user)) : this.current;
    if (!intent) return { text: OFFLINE_CAPABILITIES };
    const last = done.at(-1);
    const find = (name: string) => [...done].reverse().find((d) => d.name === name);
    const need = (tool: string): { text: string } | undefined =>
      tools.has(tool) ? undefined : { text: `That needs the ${tool} tool, which this session's mode does not allow. Start the session with --mode propose to let me draft and propose changes.` };

    switch (intent.kind) {
      case 'help':
        return { text: OFFLINE_CAPABILITIES };
      case 'unknown':
        return { text: `${/approv/i.test(user) ? 'I cannot approve deployments: approval is a human decision, made by an approver the deployment policy names. ' : `I did not understand that offline${intent.reason ? ` (${intent.reason})` : ''}. `}${OFFLINE_CAPABILITIES}` };
      case 'list-environments': {
        const r = find('list_environments');
        if (!r) return { call: 'list_environments', args: {} };
        return { text: describeEnvironments(r) };
      }
      case 'validate': {
        const r = find('validate_config');
        if (!r) return { call: 'validate_config', args: intent.environment ? { environments: [intent.environment] } : {} };
        return { text: describeValidation(r) };
      }
      case 'plan': {
        const r = find('plan_deployment');
        if (!r) return { call: 'plan_deployment', args: intent.environment ? { environment: intent.environment } : {} };
        return { text: describePlan(r) };
      }
      case 'diff': {
        const r = find('diff_config');
        if (!r) {
          const envs = ['development', 'staging', 'production'];
          if (intent.from && intent.to && envs.includes(intent.from) && envs.includes(intent.to)) return { call: 'diff_config', args: { fromEnvironment: intent.from, toEnvironment: intent.to } };
          if (intent.from) return { call: 'diff_config', args: { from: intent.from, ...(intent.to ? { to: intent.to } : {}) } };
          return { call: 'diff_config', args: { fromEnvironment: 'staging', toEnvironment: 'production' } };
        }
        return { text: describeDiff(r) };
      }
      case 'describe-database': {
        const r = find('list_tables');
        if (!r) return { call: 'list_tables', args: {} };
        return { text: describeTables(r) };
      }
      case 'describe-table':
      case 'add-layer':
      case 'add-spatial-index': {
        const tables = find('list_tables');
        if (!tables) return { call: 'list_tables', args: {} };
        if (!tables.ok) return { text: `I could not read the database: ${firstLine(tables.content)}` };
        if (!intent.table) {
          this.pending = { intent, awaiting: 'table', options: tableNames(tables) };
          return { text: `Which table? The database has: ${tableNames(tables).join(', ')}.` };
        }
        const match = matchTable(intent.table, candidates(tables));
        if (match.kind === 'ambiguous') {
          const options = match.candidates.map(qualified);
          this.pending = { intent, awaiting: 'table', options };
          return { text: `"${intent.table}" could be ${options.join(' or ')}. Which one do you mean?` };
        }
        if (match.kind === 'none') {
          return { text: `I found no table matching "${intent.table}".${match.suggestions.length > 0 ? ` Did you mean ${match.suggestions.map(qualified).join(', ')}?` : ''} The database has: ${tableNames(tables).join(', ')}.` };
        }
        const table = qualified(match.table);
        if (intent.kind === 'describe-table') {
          const r = find('describe_table');
          if (!r) return { call: 'describe_table', args: { table, sampleRows: 3 } };
          return { text: describeTable(r) };
        }
        if (intent.kind === 'add-layer') return this.addLayer(intent, table, done, last, need);
        return this.addIndex(intent, table, done, last, need);
      }
    }
  }

  private current: Intent | undefined;

  private addLayer(intent: Intent & { kind: 'add-layer' }, table: string, done: Done[], last: Done | undefined, need: (t: string) => { text: string } | undefined) {
    const gen = [...done].reverse().find((d) => d.name === 'generate_layer');
    if (!gen) {
      return need('generate_layer') ?? { call: 'generate_layer', args: { table, ...(intent.service ? { service: intent.service } : {}), ...ENV_LIST(intent.environments) } };
    }
    if (!gen.ok) {
      if (gen.errorCode === 'service-required') {
        const services = servicesFrom(gen.content);
        this.pending = { intent: { ...intent, table }, awaiting: 'service', options: services };
        return { text: `Which service should publish ${table}? ${services.length > 0 ? `The repository has: ${services.join(', ')}.` : ''} (Answer with the service name.)` };
      }
      return { text: `I could not generate the layer: ${firstLine(gen.content)}` };
    }
    const draft = gen.data as { draftId: string; collectionId: string; files: Array<{ path: string }>; notes: string[]; validation: { valid: boolean; problems: Array<{ message: string; severity: string }> } };
    if (!draft.validation.valid) return { text: `I generated the layer, but it does not validate, so I did not propose it:\n${draft.validation.problems.map((p) => `  - ${p.severity}: ${p.message}`).join('\n')}` };
    const name = draft.collectionId.split('::')[1] ?? resourceName(table);
    return this.propose(`feature/add-${name}-layer`, `Add ${draft.collectionId} layer from ${table}\n\nGenerated by the Honua consultant from the database catalog.`, draft, done, last, need, `Layer ${draft.collectionId} from ${table}`);
  }

  private addIndex(intent: Intent & { kind: 'add-spatial-index' }, table: string, done: Done[], last: Done | undefined, need: (t: string) => { text: string } | undefined) {
    const gen = [...done].reverse().find((d) => d.name === 'generate_migration');
    if (!gen) return need('generate_migration') ?? { call: 'generate_migration', args: { kind: 'spatial-index', table, ...(intent.column ? { column: intent.column } : {}) } };
    if (!gen.ok) return { text: `I could not generate the migration: ${firstLine(gen.content)}` };
    const draft = gen.data as { draftId: string; migration: string; files: Array<{ path: string }>; notes: string[]; validation: { valid: boolean; problems: Array<{ message: string; severity: string }> } };
    if (!draft.validation.valid) return { text: `I generated the migration, but it does not validate, so I did not propose it:\n${draft.validation.problems.map((p) => `  - ${p.severity}: ${p.message}`).join('\n')}` };
    return this.propose(`feature/${draft.migration.replace(/_/g, '-')}`, `Add migration ${draft.migration}\n\nA GiST index built CONCURRENTLY on ${table}, generated by the Honua consultant.`, draft, done, last, need, `Migration ${draft.migration} (spatial index on ${table})`);
  }

  private propose(branch: string, message: string, draft: { draftId: string; files: Array<{ path: string }>; notes: string[] }, done: Done[], last: Done | undefined, need: (t: string) => { text: string } | undefined, what: string) {
    const attempts = done.filter((d) => d.name === 'write_proposal');
    const wrote = attempts.at(-1);
    if (!wrote || (wrote === last && !wrote.ok && wrote.errorCode === 'branch-exists' && attempts.length < 5)) {
      const suffix = attempts.length === 0 ? '' : `-${attempts.length + 1}`;
      return need('write_proposal') ?? { call: 'write_proposal', args: { branch: `${branch}${suffix}`, message, draftIds: [draft.draftId] } };
    }
    const files = draft.files.map((f) => `  - ${f.path}`).join('\n');
    if (!wrote.ok) {
      return {
        text: `${what} is drafted and validates, but I did not commit it: ${firstLine(wrote.content).replace(/^Refused: /, '')}\nFiles it would add:\n${files}${wrote.errorCode === 'not-confirmed' ? '\nRun again with --yes to allow proposals (a branch and a commit; nothing is deployed), or use `honua-ai chat` and confirm.' : ''}`,
      };
    }
    const r = wrote.data as { branch: string; commit: string; files: Array<{ path: string; status: string }>; pushedTo: string[]; notes: string[] };
    const lines = [
      `Created proposal: ${r.branch}`,
      `${what}`,
      'Files changed:',
      ...r.files.map((f) => `  - ${f.path} (${f.status})`),
      'Validated: the configuration has no errors with these files.',
      `Commit ${r.commit.slice(0, 12)} on ${r.branch}; pushed to ${r.pushedTo.join(' and ')}.`,
      ...[...draft.notes, ...r.notes].map((n) => `Note: ${n}`),
      `Review it with \`git log -p ${r.branch}\`, then merge it to deploy through the pipeline. Nothing has been deployed.`,
    ];
    return { text: lines.join('\n') };
  }
}

function lastExchange(messages: readonly Message[]): { user: string; done: Done[] } {
  let u = messages.length - 1;
  while (u >= 0 && messages[u]?.role !== 'user') u--;
  const user = u >= 0 ? (messages[u] as { content: string }).content : '';
  const calls = new Map<string, ToolCall>();
  const done: Done[] = [];
  for (const m of messages.slice(u + 1)) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) calls.set(c.id, c);
    if (m.role === 'tool') {
      done.push({
        name: m.name,
        args: calls.get(m.toolCallId)?.arguments ?? {},
        ok: !m.isError,
        ...(m.errorCode ? { errorCode: m.errorCode } : {}),
        content: m.content,
        data: m.structured ?? {},
      });
    }
  }
  return { user, done };
}

const qualified = (t: TableRef): string => (t.schema === 'public' ? t.name : `${t.schema}.${t.name}`);

function candidates(r: Done): TableCandidate[] {
  const tables = ((r.data as { tables?: Array<{ table: string; comment: string | null }> }).tables ?? []);
  return tables.map((t) => {
    const [schema, ...rest] = t.table.split('.');
    return { schema: schema ?? 'public', name: rest.join('.'), comment: t.comment === null ? null : unwrap(t.comment) };
  });
}

const tableNames = (r: Done): string[] => candidates(r).map(qualified);

function firstLine(text: string): string {
  const body = unwrap(text).replace(/^The block below[^\n]*\n/m, '').trim();
  return body.split('\n').filter((l) => l.trim() && !/^Error \(/.test(l)).slice(0, 3).join(' ').trim();
}

function servicesFrom(content: string): string[] {
  const m = /has ([\w-]+(?:, [\w-]+)*)/.exec(unwrap(content));
  return m?.[1]?.split(', ') ?? [];
}

function describeEnvironments(r: Done): string {
  if (!r.ok) return `I could not list the environments: ${firstLine(r.content)}`;
  const envs = (r.data as { environments: Array<{ name: string; valid: boolean; layers: string[]; services: string[]; migrations: string[]; policy: { autoApprove: boolean } }> }).environments;
  return envs.map((e) => `${e.name}: ${e.valid ? 'valid' : 'has errors'}, ${e.services.length} services, ${e.layers.length} layers, ${e.migrations.length} migrations; deployments ${e.policy.autoApprove ? 'auto-approve unless a rule says otherwise' : 'always need a human approval'}`).join('\n');
}

function describeValidation(r: Done): string {
  if (!r.ok) return `Validation could not run: ${firstLine(r.content)}`;
  const v = r.data as { valid: boolean; errors: number; warnings: number; environments: Array<{ name: string; valid: boolean; errors: number; warnings: number }>; problems: Array<{ severity: string; code: string; message: string; file?: string; line?: number }> };
  const head = v.valid ? `The configuration is valid (${v.warnings} warning${v.warnings === 1 ? '' : 's'}).` : `The configuration has ${v.errors} error${v.errors === 1 ? '' : 's'} and ${v.warnings} warning${v.warnings === 1 ? '' : 's'}.`;
  const envs = v.environments.map((e) => `  ${e.name}: ${e.valid ? 'valid' : `${e.errors} error(s)`}`);
  const problems = v.problems.slice(0, 10).map((p) => `  ${p.severity} [${p.code}] ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
  return [head, ...envs, ...(problems.length > 0 ? ['', ...problems] : [])].join('\n');
}

function describePlan(r: Done): string {
  if (!r.ok) return `I could not plan: ${firstLine(r.content)}`;
  const p = r.data as { environment: string; summary: { added: number; removed: number; modified: number; migrations: number; breaking: number }; risk: { level: string; reasons: string[] }; policy: { outcome: string; reasons?: string[] } };
  const reasons = (p.risk.reasons ?? []).slice(0, 5).map((x) => `  - ${x}`);
  return [
    `Plan for ${p.environment}: ${p.summary.added} added, ${p.summary.modified} modified, ${p.summary.removed} removed; ${p.summary.migrations} migration(s) to run; ${p.summary.breaking} breaking change(s).`,
    `Risk: ${p.risk.level}`,
    ...reasons,
    `Policy decision: ${p.policy.outcome}${p.policy.reasons && p.policy.reasons.length > 0 ? ` — ${p.policy.reasons.join('; ')}` : ''}`,
    'Planning changed nothing; deploying and approving are for a person to do.',
  ].join('\n');
}

function describeDiff(r: Done): string {
  if (!r.ok) return `I could not diff: ${firstLine(r.content)}`;
  const d = r.data as { summary: { added: number; removed: number; modified: number }; changes: Array<{ action: string; key: string }>; breakingChanges: Array<{ code: string; message: string }> };
  return [
    `${d.summary.added} added, ${d.summary.modified} modified, ${d.summary.removed} removed.`,
    ...d.changes.slice(0, 20).map((c) => `  ${c.action === 'add' ? '+' : c.action === 'remove' ? '-' : '~'} ${c.key}`),
    ...(d.breakingChanges.length > 0 ? ['Breaking changes:', ...d.breakingChanges.map((b) => `  ! [${b.code}] ${b.message}`)] : ['No breaking changes.']),
  ].join('\n');
}

function describeTables(r: Done): string {
  if (!r.ok) return `I could not read the database: ${firstLine(r.content)}`;
  const d = r.data as { database: { serverVersion: string; postgisVersion: string | null }; tables: Array<{ table: string; kind: string; estimatedRows: number | null; geometry: Array<{ column: string; type: string; srid: number; spatialIndex: boolean }>; comment: string | null }> };
  const lines = d.tables.map((t) => {
    const g = t.geometry.map((x) => `${x.column} ${x.type}/${x.srid}${x.spatialIndex ? '' : ' (no spatial index)'}`).join(', ');
    return `  ${t.table} (${t.kind}${t.estimatedRows !== null ? `, ~${t.estimatedRows} rows` : ''})${g ? `: ${g}` : ': no geometry'}`;
  });
  return [`PostgreSQL ${d.database.serverVersion.split(' ')[0]}, PostGIS ${d.database.postgisVersion ?? 'not installed'}; ${d.tables.length} tables and views:`, ...lines].join('\n');
}

function describeTable(r: Done): string {
  if (!r.ok) return `I could not describe it: ${firstLine(r.content)}`;
  const t = r.data as { table: string; kind: string; comment: string | null; estimatedRows: number | null; primaryKey: string[]; columns: Array<{ name: string; type: string; nullable: boolean }>; findings: string[] };
  return [
    `${t.table} (${t.kind}${t.estimatedRows !== null ? `, ~${t.estimatedRows} rows` : ''})${t.comment ? `: ${unwrap(t.comment)}` : ''}`,
    `Primary key: ${t.primaryKey.join(', ') || 'none'}`,
    ...t.columns.map((c) => `  ${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`),
    ...t.findings.map((f) => `Finding: ${f}`),
  ].join('\n');
}
