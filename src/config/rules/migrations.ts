import path from 'node:path/posix';
import { buildMigrationGraph } from '../migration-graph.js';
import type { PathSegment } from '../locate.js';
import { isPlainObject } from '../overlay.js';
import { problemAt, relatedAt } from '../place.js';
import type { Problem } from '../problem.js';
import type { IndexedMigration } from '../repo-index.js';
import { suggest } from '../suggest.js';
import type { LoadedRepo } from '../source-document.js';
import { checkExpectationFit } from './check-expectations.js';

/** Repository-wide migration rules: ids, dependencies, cycles, referenced files, environments, rollback. */
export function checkMigrations(repo: LoadedRepo, migrations: IndexedMigration[]): Problem[] {
  const out: Problem[] = [];
  const docOf = new Map(migrations.map((m) => [m.migration, m.doc]));
  const graph = buildMigrationGraph(migrations.map((m) => m.migration));
  const depIndex = (m: IndexedMigration['migration'], dep: string): number => m.dependencies.indexOf(dep);

  for (const p of graph.problems) {
    if (p.type === 'duplicate') {
      const [first, ...rest] = p.migrations;
      if (!first) continue;
      const firstDoc = docOf.get(first);
      for (const m of rest) {
        const doc = docOf.get(m);
        if (!doc || !firstDoc) continue;
        out.push({
          ...problemAt(
            { doc, path: ['metadata', 'id'] },
            { code: 'duplicate-migration-id', message: `migration id "${p.id}" is also used by ${first.origin.file}` },
          ),
          related: [relatedAt({ doc: firstDoc, path: ['metadata', 'id'] }, `first use of id "${p.id}"`)],
        });
      }
    } else if (p.type === 'missing') {
      const doc = docOf.get(p.migration);
      if (!doc) continue;
      out.push(
        problemAt(
          { doc, path: ['spec', 'dependencies', depIndex(p.migration, p.dependency)] },
          {
            code: 'missing-dependency',
            message: `migration ${p.migration.name} depends on "${p.dependency}", which does not exist`,
            ...(p.suggestion ? { hint: `Did you mean "${p.suggestion}"?` } : {}),
          },
        ),
      );
    } else {
      const [first, ...rest] = p.migrations;
      const doc = first && docOf.get(first);
      if (!first || !doc) continue;
      const names = [...p.migrations, first].map((m) => m.name).join(' → ');
      const next = p.migrations[1] ?? first;
      const at = first.dependencies.findIndex((d) => d === next.id || d === next.name);
      out.push({
        ...problemAt(
          { doc, path: ['spec', 'dependencies', Math.max(0, at)] },
          { code: 'migration-cycle', message: `migrations depend on each other in a cycle: ${names}` },
        ),
        related: rest.flatMap((m) => {
          const d = docOf.get(m);
          return d ? [relatedAt({ doc: d, path: ['spec', 'dependencies'] }, `${m.name} is part of the cycle`)] : [];
        }),
      });
    }
  }

  const known = [...repo.environments.keys()];
  for (const { migration: m, doc } of migrations) {
    const raw = doc.value as Record<string, unknown>;
    const spec = isPlainObject(raw.spec) ? raw.spec : {};
    const stemPrefix = /^(\d+)/.exec(path.basename(doc.file.path))?.[1];
    if (doc.docsInFile === 1 && stemPrefix !== undefined && /^\d+$/.test(m.id) && Number(stemPrefix) !== Number(m.id)) {
      out.push(
        problemAt(
          { doc, path: ['metadata', 'id'] },
          { code: 'migration-id-mismatch', message: `metadata.id is "${m.id}" but the file name starts with ${stemPrefix}` },
        ),
      );
    }
    if (m.down.length === 0) {
      out.push(problemAt({ doc, path: ['spec', 'down'], mode: 'parent' }, { code: 'missing-down', message: `migration ${m.name} has no down steps` }));
    }
    for (const phase of ['up', 'down'] as const) {
      m[phase].forEach((step, i) => {
        if (step.type === 'sql' && step.file !== undefined && !repo.paths.has(step.file)) {
          out.push(problemAt({ doc, path: ['spec', phase, i, 'file'] }, { code: 'missing-file', message: `SQL file ${step.file} does not exist` }));
        }
      });
    }
    (m.environments ?? []).forEach((env, i) => {
      if (!repo.environments.has(env)) {
        const written = Array.isArray((raw.metadata as Record<string, unknown>).environments)
          ? String(((raw.metadata as Record<string, unknown>).environments as unknown[])[i])
          : env;
        const s = suggest(written, known);
        out.push(
          problemAt(
            { doc, path: ['metadata', 'environments', i] },
            {
              code: 'unknown-environment',
              message: `migration ${m.name} names environment "${written}", which has no folder under environments/`,
              ...(s ? { hint: `Did you mean "${s}"?` } : {}),
            },
          ),
        );
      }
    });
    const validation = spec.validation;
    const phases: Array<[unknown, PathSegment[]]> = Array.isArray(validation)
      ? [[validation, ['spec', 'validation']]]
      : isPlainObject(validation)
        ? Object.keys(validation).map((k) => [validation[k], ['spec', 'validation', k]] as [unknown, PathSegment[]])
        : [];
    for (const [checks, base] of phases) out.push(...checkExpectationFit(doc, checks, base));
    out.push(...checkExpectationFit(doc, spec.preConditions, ['spec', 'preConditions']));
  }
  return out;
}
