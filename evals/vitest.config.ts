import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The evals run on Vitest: each scenario is a concurrent test in one file (the work is waiting on
 * PostgreSQL, git and the model, so concurrency within one worker uses the machine's cores), the
 * evals reporter (evals/reporter.ts) writes the results, and `npm run evals` (evals/cli.ts) sets
 * the provider, the filter and the iterations.
 */
export default defineConfig({
  test: {
    root: '.',
    include: ['evals/scenarios.eval.ts'],
    globalSetup: ['evals/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxConcurrency: Number(process.env.HONUA_EVALS_CONCURRENCY) || Math.max(2, availableParallelism() * 2),
  },
});
