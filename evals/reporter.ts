import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { judge, markdown, summarize, type Baseline } from './report.js';
import type { EvalResult } from './scenarios.eval.js';

/**
 * Gathers every scenario's result from the tests' meta when the run ends, prints the table,
 * writes evals/results/<time>-<provider>.json and .md, and judges the run against
 * evals/baseline.json (HONUA_EVALS_GATE=1: below it, the process fails; HONUA_EVALS_RECORD=1:
 * the run becomes the baseline).
 */
export const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');
export const BASELINE_FILE = path.resolve(import.meta.dirname, 'baseline.json');

export default class EvalsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const results: EvalResult[] = [];
    for (const m of modules) for (const t of m.children.allTests()) if (t.meta().honua) results.push(t.meta().honua as EvalResult);
    if (results.length === 0) return;
    const provider = process.env.HONUA_EVALS_PROVIDER ?? 'offline';
    const summary = summarize(results, provider, results.find((r) => r.model)?.model ?? process.env.HONUA_EVALS_MODEL ?? '');
    const md = markdown(summary);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const stamp = summary.generatedAt.replace(/[:.]/g, '-');
    const base = path.join(RESULTS_DIR, `${stamp}-${provider}${summary.model ? `-${summary.model.replace(/[^A-Za-z0-9._-]/g, '_')}` : ''}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(`${base}.md`, md);
    // The latest run per provider and model, kept in git: the published figures.
    const latest = path.join(
      RESULTS_DIR,
      `latest-${provider}${summary.model && provider !== 'offline' ? `-${summary.model.replace(/[^A-Za-z0-9._-]/g, '_')}` : ''}`,
    );
    if (!process.env.HONUA_EVALS_FILTER && process.env.HONUA_EVALS_NO_LATEST !== '1') {
      writeFileSync(`${latest}.json`, `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(`${latest}.md`, md);
    }
    process.stdout.write(`\n${md}\nresults: ${base}.json, ${base}.md\n`);
    const baseline = existsSync(BASELINE_FILE) ? (JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline) : undefined;
    if (process.env.HONUA_EVALS_RECORD === '1') {
      const next: Baseline = {
        ...baseline,
        [provider]: {
          passRate: summary.totals.passRate,
          passed: summary.results.filter((r) => r.status === 'pass').map((r) => r.id),
          recordedAt: summary.generatedAt,
        },
      };
      writeFileSync(BASELINE_FILE, `${JSON.stringify(next, null, 2)}\n`);
      process.stdout.write(`baseline recorded for ${provider}: ${summary.totals.passRate}\n`);
      return;
    }
    const verdict = judge(summary, baseline);
    if (process.env.HONUA_EVALS_GATE === '1') {
      process.stdout.write(
        verdict.ok ? `evals: at or above the ${provider} baseline\n` : `evals: FAILED against the ${provider} baseline: ${verdict.reasons.join('; ')}\n`,
      );
      if (!verdict.ok) process.exitCode = 1;
    }
  }
}
