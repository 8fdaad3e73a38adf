import { isPlainObject } from '../overlay.js';
import { type Layered, placeIn, problemAt } from '../place.js';
import type { Problem } from '../problem.js';
import type { Resolved } from '../resolve-resources.js';
import { suggest } from '../suggest.js';

function referenceProblem(r: Layered, at: Array<string | number>, what: string, name: string, known: string[], environment: string): Problem {
  const s = suggest(name, known);
  return problemAt(placeIn(r, at), {
    code: 'unknown-reference',
    message: `${what} "${name}" does not exist in ${environment}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
    hint: s ? `Did you mean "${s}"?` : `Add a ${what.split(' ')[0]} named "${name}" to environments/<env>/ or environments/common/.`,
    environment,
  });
}

/**
 * References between resources — layer → service, service → datasource, layer → datasource,
 * server state store → datasource — checked on the written values of every resource, valid or
 * not, so a layer with a schema error still reports that its service does not exist.
 */
export function checkReferences(resolved: readonly Resolved[], serverDoc: Resolved | undefined, env: string): Problem[] {
  const problems: Problem[] = [];
  const nameOf = (r: Resolved): string | undefined => {
    const md = r.value.metadata;
    return isPlainObject(md) && typeof md.name === 'string' ? md.name : undefined;
  };
  const serviceNames = resolved.filter((r) => r.kind === 'Service').flatMap((r) => nameOf(r) ?? []);
  const dsNames = resolved.filter((r) => r.kind === 'DataSource').flatMap((r) => nameOf(r) ?? []);
  const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);
  for (const r of resolved) {
    const ref = (path: string[], what: string, known: string[]) => {
      const name = at(r.value, ...path);
      if (typeof name === 'string' && !known.includes(name)) problems.push(referenceProblem(r, path, what, name, known, env));
    };
    if (r.kind === 'Layer') {
      ref(['metadata', 'service'], 'service', serviceNames);
      ref(['spec', 'storage', 'dataSource'], 'datasource', dsNames);
    } else if (r.kind === 'Service') {
      ref(['spec', 'dataSource'], 'datasource', dsNames);
    } else if (r.kind === 'ServerConfig' && r === serverDoc) {
      ref(['spec', 'gitops', 'stateStore', 'dataSource'], 'datasource', dsNames);
    }
  }
  return problems;
}
