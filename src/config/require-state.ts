import { ConfigInvalidError, UsageError } from '../errors/index.js';
import { buildEnvironment } from './build-environment.js';
import type { DesiredState } from './desired-state.js';
import { dedupeProblems, sortProblems } from './problem.js';
import { indexRepo } from './repo-index.js';
import type { LoadedRepo } from './source-document.js';
import { selectEnvironments } from './validate.js';

/** The desired state of one environment; a ConfigInvalidError (with every error and the files' texts) when the configuration has errors. */
export function requireState(repo: LoadedRepo, environment: string): DesiredState {
  const [env] = selectEnvironments(repo, [environment]);
  if (env === undefined) throw new UsageError('unknown-environment', `unknown environment ${environment}`);
  const { state, problems } = buildEnvironment(repo, env);
  const errors = sortProblems(dedupeProblems([...repo.problems, ...indexRepo(repo).problems, ...problems])).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const where = repo.source.type === 'git' ? `${repo.source.ref} (${repo.source.shortCommit})` : repo.source.root;
    throw new ConfigInvalidError(`the ${env} configuration at ${where} has ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors, repo.texts);
  }
  return state;
}
