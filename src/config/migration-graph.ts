/**
 * The dependency graph over migrations: resolves dependencies (by id like "002" or full name
 * like "002_add_parcels_layer"), finds missing ones and cycles, and orders migrations so every
 * migration comes after what it depends on (ties broken by id, numerically).
 */
export interface GraphMigration {
  id: string;
  name: string;
  dependencies: readonly string[];
}

export type GraphProblem<M> =
  | { type: 'missing'; migration: M; dependency: string; suggestion?: string; excluded?: boolean }
  | { type: 'cycle'; migrations: M[] }
  | { type: 'duplicate'; migrations: M[]; id: string };

export interface MigrationGraph<M extends GraphMigration> {
  /** Every migration in an order that respects dependencies (migrations in cycles are left out). */
  order: M[];
  /** Resolved dependencies of each migration. */
  dependenciesOf: Map<M, M[]>;
  problems: Array<GraphProblem<M>>;
}

/** Natural order of ids: numeric when both are numbers ("2" < "10"), else by text. */
export function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : Number.NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Builds the graph. `all` lets a dependency on a migration that exists but is excluded (it does
 * not run in this environment) be reported as such rather than as a typo.
 */
export function buildMigrationGraph<M extends GraphMigration>(migrations: readonly M[], all: readonly GraphMigration[] = migrations): MigrationGraph<M> {
  const problems: Array<GraphProblem<M>> = [];
  const byKey = new Map<string, M>();
  const byId = new Map<string, M[]>();
  // Full names win over ids, and the first migration with an id keeps it: a copied file whose
  // id was not updated must not capture the dependencies of the original.
  for (const m of migrations) {
    byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
    if (!byKey.has(m.name)) byKey.set(m.name, m);
  }
  for (const m of migrations) if (!byKey.has(m.id)) byKey.set(m.id, m);
  const numeric = /^\d+$/;
  const sameNumber = (a: string, b: string): boolean => numeric.test(a) && numeric.test(b) && Number(a) === Number(b);
  // `2` (YAML's reading of an unquoted 002) finds migration "002".
  const lookup = (d: string): M | undefined => byKey.get(d) ?? (numeric.test(d) ? migrations.find((o) => sameNumber(o.id, d)) : undefined);
  for (const [id, ms] of byId) if (ms.length > 1) problems.push({ type: 'duplicate', migrations: ms, id });

  const dependenciesOf = new Map<M, M[]>();
  for (const m of migrations) {
    const deps: M[] = [];
    for (const d of m.dependencies) {
      const target = lookup(d);
      if (target) {
        if (target !== m) deps.push(target);
        else problems.push({ type: 'cycle', migrations: [m] });
        continue;
      }
      const elsewhere = all.find((o) => o.id === d || o.name === d || sameNumber(o.id, d));
      if (elsewhere) {
        problems.push({ type: 'missing', migration: m, dependency: d, excluded: true });
        continue;
      }
      const prefix = /^(\d+)/.exec(d)?.[1];
      const near = migrations.find((o) => prefix !== undefined && compareIds(o.id, prefix) === 0);
      problems.push({ type: 'missing', migration: m, dependency: d, ...(near ? { suggestion: near.name } : {}) });
    }
    dependenciesOf.set(m, deps);
  }

  // Kahn's algorithm with a sorted ready list, so the order is deterministic.
  const indegree = new Map<M, number>(migrations.map((m) => [m, 0]));
  const dependents = new Map<M, M[]>();
  for (const [m, deps] of dependenciesOf) {
    indegree.set(m, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), m]);
  }
  const sortMigrations = (a: M, b: M): number => compareIds(a.id, b.id) || a.name.localeCompare(b.name);
  const ready = migrations.filter((m) => indegree.get(m) === 0).sort(sortMigrations);
  const order: M[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as M;
    order.push(next);
    for (const d of dependents.get(next) ?? []) {
      const left = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, left);
      if (left === 0) {
        ready.push(d);
        ready.sort(sortMigrations);
      }
    }
  }
  if (order.length < migrations.length) {
    const stuck = new Set(migrations.filter((m) => !order.includes(m)));
    for (const cycle of findCycles(stuck, dependenciesOf)) problems.push({ type: 'cycle', migrations: cycle });
  }
  return { order, dependenciesOf, problems };
}

/** The cycles among `nodes` (Tarjan's strongly connected components of size > 1). */
function findCycles<M>(nodes: Set<M>, edges: Map<M, M[]>): M[][] {
  let index = 0;
  const idx = new Map<M, number>();
  const low = new Map<M, number>();
  const stack: M[] = [];
  const onStack = new Set<M>();
  const out: M[][] = [];
  const visit = (v: M): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!nodes.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: M[] = [];
      let w: M | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.reverse());
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

/**
 * The migrations still to apply, in order, given the ids (or names) already applied; and those
 * that cannot be applied because they are in, or depend on, a dependency cycle.
 */
export function pendingMigrations<M extends GraphMigration>(graph: MigrationGraph<M>, applied: Iterable<string>): { pending: M[]; blocked: M[] } {
  const done = new Set(applied);
  const isApplied = (m: M): boolean => done.has(m.id) || done.has(m.name);
  const ordered = new Set(graph.order);
  return {
    pending: graph.order.filter((m) => !isApplied(m)),
    blocked: [...graph.dependenciesOf.keys()].filter((m) => !ordered.has(m) && !isApplied(m)),
  };
}
