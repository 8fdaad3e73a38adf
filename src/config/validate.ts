import { UsageError } from '../errors/index.js';
import type { SourceDescription } from '../source/index.js';
import { buildEnvironment } from './build-environment.js';
import type { DesiredState } from './desired-state.js';
import { canonicalEnvironment, sortEnvironments } from './environment.js';
import { z } from 'zod';
import { dedupeProblems, type Problem, ProblemSchema, sortProblems } from './problem.js';
import { indexRepo } from './repo-index.js';
import { suggest } from './suggest.js';
import type { LoadedRepo } from './source-document.js';

/** The result of `honua validate`, also its `--json` output. */
export const EnvironmentSummarySchema = z.object({
  name: z.string(),
  folder: z.string(),
  valid: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  counts: z.object({ dataSources: z.number().int(), services: z.number().int(), layers: z.number().int(), migrations: z.number().int() }),
});
export type EnvironmentSummary = z.infer<typeof EnvironmentSummarySchema>;

export const ValidationReportSchema = z.object({
  schemaVersion: z.literal('honua.validation/v1'),
  source: z.union([
    z.object({ type: z.literal('directory'), root: z.string() }),
    z.object({ type: z.literal('git'), root: z.string(), ref: z.string(), commit: z.string(), shortCommit: z.string() }),
  ]),
  valid: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  environments: z.array(EnvironmentSummarySchema),
  problems: z.array(ProblemSchema),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema> & { source: SourceDescription };

/** Canonical names of the requested environments; an unknown name is a usage error listing the known ones. */
export function selectEnvironments(repo: LoadedRepo, requested?: readonly string[]): string[] {
  const known = sortEnvironments(repo.environments.keys());
  if (!requested || requested.length === 0) return known;
  return requested.map((name) => {
    const env = canonicalEnvironment(name);
    if (repo.environments.has(env)) return env;
    const s = suggest(name, [...known, ...known.map((k) => repo.environments.get(k) ?? k)]);
    throw new UsageError('unknown-environment', `environment "${name}" has no folder under environments/`, {
      hint:
        known.length > 0
          ? `${s ? `Did you mean "${s}"? ` : ''}Known environments: ${known.join(', ')}.`
          : 'Add a folder environments/<name>/ to the repository.',
      data: { environment: name, known },
    });
  });
}

export function validateRepo(repo: LoadedRepo, requested?: readonly string[]): { report: ValidationReport; states: Map<string, DesiredState> } {
  const envs = selectEnvironments(repo, requested);
  const index = indexRepo(repo);
  const all: Problem[] = [...repo.problems, ...index.problems];
  const states = new Map<string, DesiredState>();
  const summaries: EnvironmentSummary[] = [];
  const repoErrors = all.filter((p) => p.severity === 'error').length;
  for (const env of envs) {
    const { state, problems } = buildEnvironment(repo, env);
    states.set(env, state);
    all.push(...problems);
    const errors = problems.filter((p) => p.severity === 'error').length;
    summaries.push({
      name: env,
      folder: state.folder,
      valid: errors === 0 && repoErrors === 0,
      errors,
      warnings: problems.length - errors,
      counts: { dataSources: state.dataSources.length, services: state.services.length, layers: state.layers.length, migrations: state.migrations.length },
    });
  }
  const problems = sortProblems(dedupeProblems(all));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    report: {
      schemaVersion: 'honua.validation/v1',
      source: repo.source,
      valid: errors === 0,
      errors,
      warnings: problems.length - errors,
      environments: summaries,
      problems,
    },
    states,
  };
}
