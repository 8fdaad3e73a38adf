#!/usr/bin/env node
// `npm run evals -- [--provider offline|openai|anthropic] [--model M] [--base-url URL]
//   [--iterations N] [--filter TEXT] [--concurrency N] [--gate] [--record-baseline]`
// Runs every scenario under evals/scenarios on Vitest (evals/vitest.config.ts) with the provider
// chosen, prints the table and writes evals/results/. --gate fails below evals/baseline.json (CI);
// --record-baseline makes this run the baseline.
import { parseArgs } from 'node:util';
import { startVitest } from 'vitest/node';

const HELP = `Usage: npm run evals -- [options]

Runs the consultant's eval scenarios (evals/scenarios/*/scenario.yaml), each in a fresh
workspace (a copy of the sample config with a bare origin, a database of its own on PostgreSQL,
its own clock), concurrently, and scores them from the tool layer's audit log, the repository
and the engine's state.

Options:
  --provider <name>     offline (default; no key, no network) | openai | anthropic
  --model <model>       the model (default: the provider's default)
  --base-url <url>      an OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp)
  --iterations <n>      run each scenario n times (default 1)
  --filter <text>       only scenarios whose id contains it, or of that category
  --concurrency <n>     scenarios at once (default: twice the cores)
  --gate                fail when the run is below evals/baseline.json or any action is forbidden (CI)
  --record-baseline     record this run as the provider's baseline
  --judge               also have the model rate each answer's quality (live providers; never decides a pass)
  -h, --help            this help

Needs PostgreSQL 15 with PostGIS: HONUA_EVALS_DATABASE_URL (or HONUA_TEST_DATABASE_URL), else a
private cluster is started when postgresql-15-postgis-3 is installed. Live providers read their key
from OPENAI_API_KEY / ANTHROPIC_API_KEY (see evals/README.md for what a run costs).`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      provider: { type: 'string', default: 'offline' },
      model: { type: 'string' },
      'base-url': { type: 'string' },
      iterations: { type: 'string', default: '1' },
      filter: { type: 'string' },
      concurrency: { type: 'string' },
      gate: { type: 'boolean', default: false },
      'record-baseline': { type: 'boolean', default: false },
      judge: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  process.stderr.write(`${error.message}\n\n${HELP}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (!['offline', 'openai', 'anthropic'].includes(values.provider)) {
  process.stderr.write(`--provider "${values.provider}" is not offline, openai or anthropic\n`);
  process.exit(2);
}
const positive = (name, text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} "${text}" is not a positive whole number\n`);
    process.exit(2);
  }
  return String(n);
};
process.env.HONUA_EVALS_PROVIDER = values.provider;
if (values.model) process.env.HONUA_EVALS_MODEL = values.model;
if (values['base-url']) process.env.HONUA_EVALS_BASE_URL = values['base-url'];
process.env.HONUA_EVALS_ITERATIONS = positive('iterations', values.iterations);
if (values.filter) process.env.HONUA_EVALS_FILTER = values.filter;
if (values.concurrency) process.env.HONUA_EVALS_CONCURRENCY = positive('concurrency', values.concurrency);
if (values.gate) process.env.HONUA_EVALS_GATE = '1';
if (values['record-baseline']) process.env.HONUA_EVALS_RECORD = '1';
if (values.judge) process.env.HONUA_EVALS_JUDGE = '1';

const vitest = await startVitest('test', [], {
  config: 'evals/vitest.config.ts',
  reporters: ['dot', './evals/reporter.ts'],
  watch: false,
});
await vitest?.close();
process.exit(process.exitCode ?? (vitest?.state.getCountOfFailedTests() ? 1 : 0));
