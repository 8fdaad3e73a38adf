import { buildEnvironment } from '../config/build-environment.js';
import type { DesiredState } from '../config/desired-state.js';
import { loadRepo } from '../config/load.js';
import { dedupeProblems, type Problem, sortProblems } from '../config/problem.js';
import { indexRepo } from '../config/repo-index.js';
import type { LoadedRepo } from '../config/source-document.js';
import { selectEnvironments } from '../config/validate.js';
import { HonuaError, UsageError } from '../errors/index.js';
import { openSource } from '../source/index.js';

/**
 * The configuration a command works on: the repository (`--repo`, default the current
 * directory), read from the working tree or from a commit (`--ref`).
 */
export async function loadConfig(repo: string, ref?: string): Promise<LoadedRepo> {
  return loadRepo(await openSource({ repo, ref }));
}

/** The configuration is invalid, so the command cannot go on; carries the problems to print. */
export class ConfigInvalidError extends HonuaError {
  constructor(
    message: string,
    readonly problems: Problem[],
    readonly texts: Map<string, string>,
  ) {
    super('config-invalid', message, { hint: 'Fix the errors above (honua validate shows them all), then run the command again.', data: { errors: problems.length } });
  }
}

/** File texts for code frames in problem output. */
export const fileTexts = (repo: LoadedRepo): Map<string, string> => repo.texts;

/** The desired state of one environment; throws ConfigInvalidError when the configuration has errors. */
export function requireState(repo: LoadedRepo, environment: string): DesiredState {
  const [env] = selectEnvironments(repo, [environment]);
  if (env === undefined) throw new UsageError('unknown-environment', `unknown environment ${environment}`);
  const { state, problems } = buildEnvironment(repo, env);
  const errors = sortProblems(dedupeProblems([...repo.problems, ...indexRepo(repo).problems, ...problems])).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const where = repo.source.type === 'git' ? `${repo.source.ref} (${repo.source.shortCommit})` : repo.source.root;
    throw new ConfigInvalidError(`the ${env} configuration at ${where} has ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors, fileTexts(repo));
  }
  return state;
}

/** Parses --at: an ISO 8601 time (with a zone; a time without one is read as UTC). */
export function parseAt(text: string | undefined, name = '--at'): Date {
  if (text === undefined) return new Date();
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text.trim());
  const withZone = iso && !iso[1] && text.length > 10 ? `${text.trim()}Z` : text.trim();
  const t = iso ? Date.parse(withZone.replace(' ', 'T')) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new UsageError('bad-time', `${name} "${text}" is not an ISO 8601 time`, { hint: 'Write e.g. 2025-11-04T10:30:00-08:00 or 2025-11-04T18:30:00Z.' });
  }
  return new Date(t);
}

/** `-e dev,staging -e production` → ['dev', 'staging', 'production']. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
