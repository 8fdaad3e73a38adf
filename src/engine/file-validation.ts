import { type LoadedRepo, type Problem, sortProblems, validateRepo, type ValidationReport } from '../config/index.js';
import { lintProblems } from '../db/index.js';
import type { FileValidation } from './contract.js';

/** Validation of a loaded repository with the migration linter's findings added as warnings. */
export async function validateWithLint(repo: LoadedRepo, environments?: readonly string[]): Promise<ValidationReport> {
  const { report } = validateRepo(repo, environments);
  const lint: Problem[] = await lintProblems(repo);
  if (lint.length > 0) {
    report.problems = sortProblems([...report.problems, ...lint]);
    report.warnings += lint.length;
  }
  return report;
}

/** Validation (with lint) of a loaded repository, narrowed to the problems in `files`. */
export async function fileValidation(repo: LoadedRepo, files: ReadonlyArray<{ path: string }>, environments?: readonly string[]): Promise<FileValidation> {
  const report = await validateWithLint(repo, environments);
  const paths = new Set(files.map((f) => f.path));
  const problems = report.problems.filter((p) => paths.has(p.file ?? ''));
  return {
    valid: !problems.some((p) => p.severity === 'error'),
    repositoryValid: report.valid,
    problems,
    otherErrors: report.problems.filter((p) => p.severity === 'error' && !paths.has(p.file ?? '')).length,
  };
}
