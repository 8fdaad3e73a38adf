import path from 'node:path/posix';
import { buildMigrationGraph } from './migration-graph.js';
import { migrationRunsIn, type Migration } from './kinds/migration.js';
import { problemAt } from './place.js';
import type { Problem } from './problem.js';
import type { RepoIndex } from './repo-index.js';
import type { SourceDocument } from './source-document.js';
import { expandValue, type TemplateVariables } from './template.js';

/** The migrations that run in the environment, ordered; dependencies on migrations that do not run here are errors. */
export function environmentMigrations(index: RepoIndex, env: string, vars: TemplateVariables, problems: Problem[]): Migration[] {
  const docOf = new Map<Migration, SourceDocument>();
  const here: Migration[] = [];
  for (const m of index.migrations) {
    if (!migrationRunsIn(m.migration, env)) continue;
    const expanded = expandValue(m.migration, vars);
    docOf.set(expanded, m.doc);
    here.push(expanded);
  }
  const graph = buildMigrationGraph(
    here,
    index.migrations.map((m) => m.migration),
  );
  for (const p of graph.problems) {
    if (p.type !== 'missing' || !p.excluded) continue;
    const doc = docOf.get(p.migration);
    if (!doc) continue;
    problems.push(
      problemAt(
        { doc, path: ['spec', 'dependencies', p.migration.dependencies.indexOf(p.dependency)] },
        {
          code: 'missing-dependency',
          message: `migration ${p.migration.name} runs in ${env} but its dependency "${p.dependency}" does not`,
          hint: "Add the environment to the dependency's metadata.environments, or remove it from this migration's.",
          environment: env,
        },
      ),
    );
  }
  // Metadata steps must point at files that exist in this environment.
  const repo = index.repo;
  for (const m of here) {
    const doc = docOf.get(m);
    if (!doc) continue;
    for (const phase of ['up', 'down'] as const) {
      m[phase].forEach((step, i) => {
        if (step.type !== 'metadata' || step.action === 'remove') return;
        const candidates = step.path !== undefined ? [step.path] : metadataCandidates(`environments/${vars.env}`, step.resource ?? '');
        if (candidates.some((c) => repo.paths.has(c))) return;
        problems.push(
          problemAt(
            { doc, path: ['spec', phase, i, step.path !== undefined ? 'path' : 'resource'] },
            {
              code: 'missing-file',
              message: `${step.action} step "${step.name}" refers to ${candidates[0]}, which does not exist in ${env}`,
              environment: env,
            },
          ),
        );
      });
    }
  }
  return graph.order;
}

/** A metadata step's resource is relative to the environment folder, or to environments/common when shared. */
const metadataCandidates = (dir: string, resource: string): string[] =>
  [dir, 'environments/common'].flatMap((d) =>
    /\.(ya?ml|json)$/i.test(resource) ? [path.join(d, resource)] : ['.yaml', '.yml', '.json'].map((ext) => path.join(d, resource + ext)),
  );
