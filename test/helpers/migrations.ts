import { validateRepo } from '../../src/config/validate.js';
import type { Migration } from '../../src/config/kinds/migration.js';
import { load, minimalRepo, repoOf } from './repo.js';

/** Migrations as the engine sees them, from YAML documents (file name → text) in a small repository. */
export async function migrationsOf(files: Record<string, string>, environment = 'development'): Promise<Migration[]> {
  const dir = await repoOf({ ...minimalRepo(environment), ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`migrations/${k}`, v])) });
  const { report, states } = validateRepo(await load(dir), [environment]);
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors, null, 2));
  return states.get(environment)?.migrations ?? [];
}

/** A migration document with inline SQL steps. */
export function sqlMigration(id: string, up: string[], down: string[] = [], extra = ''): string {
  const steps = (list: string[]) =>
    list
      .map(
        (sql, i) =>
          `    - name: step ${i + 1}\n      type: sql\n      content: |\n${sql
            .split('\n')
            .map((l) => `        ${l}`)
            .join('\n')}\n`,
      )
      .join('');
  return `apiVersion: honua.io/v1
kind: Migration
metadata:
  id: "${id}"
  description: migration ${id}
spec:
${extra}  up:
${steps(up)}${down.length > 0 ? `  down:\n${steps(down)}` : ''}`;
}
