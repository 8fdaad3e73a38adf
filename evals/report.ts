import type { EvalResult } from './scenarios.eval.js';

/**
 * The results as people and CI read them: a row per run (scenario, pass/fail, why, tool calls,
 * tokens, cost estimate, latency), a summary per category with its pass rate, the totals, and
 * the comparison with the recorded baseline (CI fails below it). Pure: the reporter gathers, this
 * formats and judges.
 */
export interface Summary {
  provider: string;
  model: string;
  generatedAt: string;
  totals: {
    runs: number;
    passed: number;
    failed: number;
    unsupported: number;
    passRate: number;
    forbidden: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  };
  categories: Array<{ category: string; runs: number; passed: number; unsupported: number; passRate: number }>;
  results: EvalResult[];
}

/** Dollars per million tokens (input, output), as published when this was written; unknown models cost nothing here, and say so. */
const PRICES: Array<{ match: RegExp; input: number; output: number }> = [
  { match: /gpt-4o-mini/, input: 0.15, output: 0.6 },
  { match: /gpt-4o/, input: 2.5, output: 10 },
  { match: /gpt-4\.1-mini/, input: 0.4, output: 1.6 },
  { match: /gpt-4\.1/, input: 2, output: 8 },
  { match: /claude.*haiku/, input: 0.8, output: 4 },
  { match: /claude.*sonnet/, input: 3, output: 15 },
  { match: /claude.*opus/, input: 15, output: 75 },
];

export function costOf(model: string, usage: { inputTokens: number; outputTokens: number }): number {
  const p = PRICES.find((x) => x.match.test(model));
  return p ? (usage.inputTokens * p.input + usage.outputTokens * p.output) / 1e6 : 0;
}

const rate = (passed: number, counted: number): number => (counted === 0 ? 0 : Math.round((passed / counted) * 1000) / 1000);

export function summarize(results: readonly EvalResult[], provider: string, model: string, now = new Date()): Summary {
  const counted = results.filter((r) => r.status !== 'unsupported');
  const passed = counted.filter((r) => r.status === 'pass').length;
  const byCategory = new Map<string, EvalResult[]>();
  for (const r of results) byCategory.set(r.category, [...(byCategory.get(r.category) ?? []), r]);
  const inputTokens = results.reduce((a, r) => a + r.usage.inputTokens, 0);
  const outputTokens = results.reduce((a, r) => a + r.usage.outputTokens, 0);
  return {
    provider,
    model,
    generatedAt: now.toISOString(),
    totals: {
      runs: results.length,
      passed,
      failed: counted.length - passed,
      unsupported: results.length - counted.length,
      passRate: rate(passed, counted.length),
      forbidden: results.reduce((a, r) => a + (r.score?.forbidden.length ?? 0), 0),
      inputTokens,
      outputTokens,
      costUsd: Math.round(results.reduce((a, r) => a + costOf(r.model || model, r.usage), 0) * 10000) / 10000,
    },
    categories: [...byCategory.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([category, rs]) => {
        const c = rs.filter((r) => r.status !== 'unsupported');
        const p = c.filter((r) => r.status === 'pass').length;
        return { category, runs: rs.length, passed: p, unsupported: rs.length - c.length, passRate: rate(p, c.length) };
      }),
    results: [...results].sort((a, b) => a.id.localeCompare(b.id) || a.iteration - b.iteration),
  };
}

const cell = (s: string, max = 110): string => {
  const one = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

export function markdown(s: Summary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const out = [
    `# Honua consultant evals: ${s.provider}${s.model ? ` ${s.model}` : ''}`,
    '',
    `${s.generatedAt} · ${s.totals.runs} runs · **${s.totals.passed} passed, ${s.totals.failed} failed** (${pct(s.totals.passRate)}), ${s.totals.unsupported} unsupported · forbidden actions: **${s.totals.forbidden}** · tokens ${s.totals.inputTokens} in / ${s.totals.outputTokens} out · about $${s.totals.costUsd.toFixed(4)}`,
    '',
    '| Category | Runs | Passed | Unsupported | Pass rate |',
    '|---|---:|---:|---:|---:|',
    ...s.categories.map((c) => `| ${c.category} | ${c.runs} | ${c.passed} | ${c.unsupported} | ${pct(c.passRate)} |`),
    '',
    '| Scenario | Result | Why | Tool calls | Tokens | Cost | Latency |',
    '|---|---|---|---|---:|---:|---:|',
    ...s.results.map(
      (r) =>
        `| ${r.id}${r.iteration > 1 ? ` #${r.iteration}` : ''} | ${r.status} | ${cell(r.why)} | ${cell(r.toolCalls.map((c) => `${c.tool}${c.outcome === 'ok' ? '' : `(${c.outcome})`}`).join(', ') || '—', 80)} | ${r.usage.inputTokens + r.usage.outputTokens} | $${costOf(r.model, r.usage).toFixed(4)} | ${(r.latencyMs / 1000).toFixed(1)} s |`,
    ),
    '',
  ];
  return out.join('\n');
}

export interface Baseline {
  /** Per provider: the pass rate below which the run fails, and the scenarios that passed when it was recorded. */
  [provider: string]: { passRate: number; passed: string[]; recordedAt: string };
}

/** Whether a run keeps to the baseline: its pass rate is not lower, no scenario that passed then fails now, no forbidden action anywhere. */
export function judge(s: Summary, baseline: Baseline | undefined): { ok: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (s.totals.forbidden > 0) reasons.push(`${s.totals.forbidden} forbidden action(s)`);
  const b = baseline?.[s.provider];
  if (b) {
    if (s.totals.passRate < b.passRate) reasons.push(`pass rate ${s.totals.passRate} is below the baseline ${b.passRate}`);
    const ran = new Map(s.results.map((r) => [r.id, r.status]));
    const regressed = b.passed.filter((id) => ran.get(id) === 'fail');
    if (regressed.length > 0) reasons.push(`passed in the baseline, failing now: ${regressed.join(', ')}`);
  }
  return { ok: reasons.length === 0, reasons };
}
