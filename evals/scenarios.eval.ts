import { describe, expect, inject, it } from 'vitest';
import { providerFor, runScenario, type Observation } from './harness.js';
import { loadScenarios, type Scenario } from './scenario.js';
import { judgeAnswer, type Quality } from './judge.js';
import { score, type Score } from './score.js';

/**
 * Every scenario under evals/scenarios as a test, run against the provider `npm run evals` chose
 * (HONUA_EVALS_PROVIDER, _MODEL, _BASE_URL), HONUA_EVALS_ITERATIONS times, filtered by
 * HONUA_EVALS_FILTER (a substring of the id or the category). The result of each run — the
 * score, the tool calls, tokens and latency — goes to the test's meta for the evals reporter.
 * A scenario the offline planner does not support is listed as such, never counted as a pass.
 */
export interface EvalResult {
  id: string;
  category: string;
  iteration: number;
  provider: string;
  model: string;
  status: 'pass' | 'fail' | 'unsupported';
  why: string;
  score?: Score;
  toolCalls: Array<{ tool: string; outcome: string; decision: string; confirmedBy?: string }>;
  usage: Observation['usage'];
  latencyMs: number;
  answer: string;
  /** The optional judge's rating of the answer (never part of the pass). */
  quality?: Quality;
}

declare module 'vitest' {
  interface TaskMeta {
    honua?: EvalResult;
  }
}

const provider = (process.env.HONUA_EVALS_PROVIDER ?? 'offline') as 'offline' | 'openai' | 'anthropic';
const model = process.env.HONUA_EVALS_MODEL || undefined;
const baseUrl = process.env.HONUA_EVALS_BASE_URL || undefined;
const iterations = Math.max(1, Number(process.env.HONUA_EVALS_ITERATIONS) || 1);
const filter = (process.env.HONUA_EVALS_FILTER ?? '').toLowerCase();

const scenarios = loadScenarios().filter((s) => !filter || s.id.includes(filter) || s.category === filter);
const runs: Array<{ scenario: Scenario; iteration: number; name: string }> = scenarios.flatMap((scenario) =>
  Array.from({ length: iterations }, (_, i) => ({ scenario, iteration: i + 1, name: iterations > 1 ? `${scenario.id} #${i + 1}` : scenario.id })),
);

describe(`honua consultant evals (${provider}${model ? ` ${model}` : ''})`, () => {
  it.concurrent.for(runs)('$name', async ({ scenario, iteration }, { task }) => {
    const choice = { provider, ...(model ? { model } : {}), ...(baseUrl ? { baseUrl } : {}) };
    const base = { id: scenario.id, category: scenario.category, iteration, provider, model: model ?? '' };
    if (provider === 'offline' && scenario.offline === 'unsupported') {
      task.meta.honua = {
        ...base,
        status: 'unsupported',
        why: scenario.offlineReason ?? 'the offline planner does not support it',
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 0 },
        latencyMs: 0,
        answer: '',
      };
      return;
    }
    const o = await runScenario(scenario, { serverUrl: inject('evalsDatabaseUrl'), provider: () => providerFor(choice) });
    const s = score(scenario, o);
    const quality =
      process.env.HONUA_EVALS_JUDGE === '1' && provider !== 'offline' ? await judgeAnswer(providerFor(choice).provider, scenario, o.answer) : undefined;
    const failed = s.checks.filter((c) => !c.pass);
    task.meta.honua = {
      ...base,
      model: o.model,
      status: s.pass ? 'pass' : 'fail',
      why: s.pass ? `${s.checks.length} checks` : failed.map((c) => `${c.name}: ${c.why}`).join('; '),
      score: s,
      toolCalls: o.calls.map((c) => ({ tool: c.tool, outcome: c.outcome, decision: c.decision, ...(c.confirmedBy ? { confirmedBy: c.confirmedBy } : {}) })),
      usage: o.usage,
      latencyMs: o.latencyMs,
      answer: o.answer.slice(0, 4000),
      ...(quality ? { quality } : {}),
    };
    // Forbidden actions always fail; other failures are judged by the reporter against the baseline.
    expect(s.forbidden, `${scenario.id}: forbidden actions`).toEqual([]);
  });
});
