import { execFileSync } from 'node:child_process';
import { type AuditEntry, MemoryAuditLog } from '../guardrails/audit-log.js';
import { type Confirmer, noConfirmer } from '../guardrails/confirmer.js';
import { Redactor } from '../guardrails/redact.js';
import {
  createProvider,
  type Message,
  type Provider,
  type ProviderSettings,
  resolveProviderSettings,
  runTurn,
  systemPrompt,
  toolSpecs,
  type TurnOutcome,
} from '../src/ai/index.js';
import { TOOLS } from '../tools/registry.js';
import { ToolRunner } from '../tools/tool-runner.js';
import type { Scenario } from './scenario.js';
import { openWorkspace } from './workspace.js';

/**
 * Runs one scenario: a fresh workspace, the provider (the offline planner, OpenAI, Anthropic)
 * behind the same guarded runner `honua-ai` uses, each turn in order, then what actually
 * happened, read from where the model cannot write: the runner's audit log (every call, its
 * gate decision, who confirmed), the repository's branches and their files (validated by the
 * engine), and the engine's deployments.
 */
export interface ProviderChoice {
  provider: 'offline' | 'openai' | 'anthropic';
  model?: string | undefined;
  baseUrl?: string | undefined;
}

export interface Observation {
  calls: AuditEntry[];
  answer: string;
  outcome: TurnOutcome | 'cancelled' | 'error';
  branches: Array<{ name: string; files: string[]; valid: boolean; problems: string[] }>;
  /** Per environment: the deployments, newest first. */
  deployments: Record<string, Array<{ id: string; kind: string; state: string }>>;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
  provider: string;
  model: string;
  error?: string;
}

/** Who answers confirmations in a scenario: a person who says yes, one who says no, or nobody. */
function confirmerFor(answer: Scenario['confirm']): Confirmer {
  if (answer === 'none') return noConfirmer;
  return {
    kind: 'eval-person',
    confirm: async () => (answer === 'yes' ? { confirmed: true, by: 'dana (eval)' } : { confirmed: false, reason: 'the person said no', by: 'dana (eval)' }),
  };
}

export function providerFor(choice: ProviderChoice, env: NodeJS.ProcessEnv = process.env): { provider: Provider; settings: ProviderSettings } {
  const settings = resolveProviderSettings({
    flags: { provider: choice.provider, ...(choice.model ? { model: choice.model } : {}), ...(choice.baseUrl ? { baseUrl: choice.baseUrl } : {}) },
    env,
  } as Parameters<typeof resolveProviderSettings>[0]);
  return { settings, provider: createProvider(settings) };
}

const ENVIRONMENTS = ['development', 'staging', 'production'];

export async function runScenario(
  scenario: Scenario,
  options: { serverUrl: string; provider: () => { provider: Provider; settings: ProviderSettings }; maxSteps?: number },
): Promise<Observation> {
  const started = Date.now();
  const ws = await openWorkspace(scenario, options.serverUrl);
  const audit = new MemoryAuditLog();
  const { provider, settings } = options.provider();
  const usage = { inputTokens: 0, outputTokens: 0 };
  let answer = '';
  let outcome: Observation['outcome'] = 'done';
  let error: string | undefined;
  try {
    const engine = ws.runtime.engine(scenario.mode === 'operate' ? 'operator' : 'consultant');
    const redactor = new Redactor();
    redactor.addSecret(ws.databaseUrl);
    const runner = new ToolRunner({
      tools: TOOLS,
      engine,
      mode: scenario.mode,
      confirmer: confirmerFor(scenario.confirm),
      audit,
      redactor,
      actor: 'dana',
      via: 'eval',
      sessionId: scenario.id.slice(0, 8),
    });
    const system = systemPrompt(
      { mode: scenario.mode, repo: ws.repo, environment: 'development', database: engine.workspace.describeDatabase() },
      toolSpecs(runner),
    );
    const history: Message[] = [];
    for (const turn of scenario.turns) {
      const user = { role: 'user' as const, content: turn };
      history.push(user);
      const result = await runTurn({ provider, runner, system, history, limits: { maxSteps: options.maxSteps ?? 16 } });
      history.push(...result.added);
      answer = result.text;
      outcome = result.outcome;
      usage.inputTokens += result.usage.inputTokens;
      usage.outputTokens += result.usage.outputTokens;
    }
  } catch (e) {
    outcome = 'error';
    error = e instanceof Error ? e.message : String(e);
  }
  try {
    const branches: Observation['branches'] = [];
    const names = execFileSync('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads'], { cwd: ws.repo, encoding: 'utf8' })
      .split('\n')
      .map((b) => b.trim())
      .filter((b) => b && b !== 'main');
    const full = ws.runtime.engine();
    for (const name of names) {
      const files = execFileSync('git', ['diff', '--name-only', `main...${name}`], { cwd: ws.repo, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      const outcome = await full.validate({ ref: name }).catch((e: Error) => e);
      const valid = !(outcome instanceof Error) && outcome.report.valid;
      const problems =
        outcome instanceof Error
          ? [outcome.message]
          : outcome.report.problems.filter((p) => p.severity === 'error').map((p) => `${p.file ?? ''}: ${p.message}`);
      branches.push({ name, files, valid, problems });
    }
    const deployments: Observation['deployments'] = {};
    for (const environment of ENVIRONMENTS) {
      const list = await full.deployments({ environment, limit: 50 }).catch(() => []);
      deployments[environment] = list.map((d) => ({ id: d.id, kind: d.kind, state: d.state }));
    }
    return {
      calls: audit.entries,
      answer,
      outcome,
      branches,
      deployments,
      usage,
      latencyMs: Date.now() - started,
      provider: settings.provider,
      model: settings.model,
      ...(error ? { error } : {}),
    };
  } finally {
    await ws.close();
  }
}
