import { type Migration, locate, type Problem, problem, indexRepo, type LoadedRepo } from '../../config/index.js';
import type { LintFinding } from './lint-rules.js';
import { lintMigration } from './linter.js';

/** Lint findings of every migration in a repository, as validation warnings at the step that causes them. */
export async function lintProblems(repo: LoadedRepo): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const { migration, doc } of indexRepo(repo).migrations) {
    for (const f of await lintMigration(migration)) {
      const stepIndex = migration.up.findIndex((s) => s.name === f.step);
      const path = stepIndex >= 0 ? ['spec', 'up', stepIndex] : ['spec', 'up'];
      out.push(
        problem({
          code: 'migration-lint',
          severity: 'warning',
          message: `[${f.code}] ${f.message}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`,
          hint: f.hint,
          file: doc.file.path,
          position: locate(doc.file, doc.index, path),
          path: path
            .map((p) => (typeof p === 'number' ? `[${p}]` : p))
            .join('.')
            .replace('.[', '['),
        }),
      );
    }
  }
  return out;
}

/** Lint findings of the given migrations (for the plan's risk). */
export async function lintAll(migrations: readonly Migration[]): Promise<LintFinding[]> {
  return (await Promise.all(migrations.map((m) => lintMigration(m)))).flat();
}
