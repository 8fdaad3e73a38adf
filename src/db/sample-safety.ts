import type { Queryable } from './database.js';

/**
 * Whether reading rows of a relation can run code that a READ ONLY transaction does not stop.
 * Selecting from a view runs the view's query, and a row-level-security policy runs its
 * expression: either may call `dblink_exec(...)` (a write committed through another connection),
 * `pg_read_file(...)` (the server's files), or a function in a procedural language whose body
 * could do anything. Selecting from a foreign table reaches another server or a file (file_fdw).
 *
 * So before the consultant samples a relation, Honua reads what it would run from the catalog:
 * the stored query trees of views (`pg_rewrite.ev_action`) and policies (`pg_policy.polqual`),
 * exactly as the server resolved them — every function, operator, aggregate and window function
 * by oid, built-ins included (pg_depend does not record those) — following views into the
 * relations they read. Reading is refused when the chain holds
 *
 *   - a foreign table;
 *   - a volatile or SECURITY DEFINER function, or one that reaches outside the database
 *     (dblink, server files, large objects, settings, signals), whoever wrote it;
 *   - a function a database user wrote: only built-in functions and those of an installed
 *     extension (PostGIS, ...) are trusted, since a procedural body could do anything.
 *
 * Materialized views are read from their stored rows (their query runs only on REFRESH) and are
 * not followed. The check reads only the catalog.
 */
export interface SampleRisk {
  kind: 'foreign-table' | 'function';
  name: string;
  detail: string;
}

/** Built-in and extension functions that reach outside the database, whatever their volatility says. */
const OUTSIDE =
  '^(dblink|pg_read_file|pg_read_binary_file|pg_ls_|pg_stat_file|lo_|pg_file_|pg_logdir_ls|pg_reload_conf|pg_terminate_backend|pg_cancel_backend|pg_notify|set_config|current_setting|pg_sleep)';

/** Relations followed at most (a view of views of views ...). */
const MAX_RELATIONS = 200;

/** Oids in a stored query tree (pg_node_tree text): functions (directly or behind operators) and relations read. */
function treeRefs(tree: string): { functions: number[]; operators: number[]; relations: number[] } {
  const all = (re: RegExp): number[] => [...tree.matchAll(re)].flatMap((m) => (m[1] ?? '').trim().split(/\s+/).map(Number)).filter((n) => n > 0);
  return {
    functions: all(/:(?:funcid|opfuncid|aggfnoid|winfnoid) (\d+)/g),
    operators: [...all(/:opno (\d+)/g), ...all(/:opnos \(o ([\d ]+)\)/g)],
    relations: all(/:relid (\d+)/g),
  };
}

export async function sampleRisks(db: Queryable, schema: string, name: string): Promise<SampleRisk[]> {
  const start = await db.query<{ oid: number }>(
    `SELECT c.oid::int8 AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, name],
  );
  const first = start.rows[0]?.oid;
  if (first === undefined) return [];
  const risks: SampleRisk[] = [];
  const seen = new Set<number>();
  const functions = new Set<number>();
  const operators = new Set<number>();
  let queue = [Number(first)];
  while (queue.length > 0 && seen.size < MAX_RELATIONS) {
    const batch = queue.filter((o) => !seen.has(o));
    batch.forEach((o) => seen.add(o));
    if (batch.length === 0) break;
    const rels = await db.query<{ oid: number; name: string; relkind: string; trees: string[] | null }>(
      `SELECT c.oid::int8 AS oid, n.nspname || '.' || c.relname AS name, c.relkind::text AS relkind,
              array_remove(
                (SELECT array_agg(rw.ev_action::text) FROM pg_rewrite rw WHERE rw.ev_class = c.oid AND c.relkind = 'v')
                || (SELECT array_agg(coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, '')) FROM pg_policy p WHERE p.polrelid = c.oid AND c.relrowsecurity),
                NULL) AS trees
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = ANY ($1::oid[])`,
      [batch],
    );
    queue = [];
    for (const rel of rels.rows) {
      if (rel.relkind === 'f') risks.push({ kind: 'foreign-table', name: rel.name, detail: 'a foreign table (rows come from another server or a file)' });
      for (const tree of rel.trees ?? []) {
        const refs = treeRefs(tree);
        refs.functions.forEach((f) => functions.add(f));
        refs.operators.forEach((o) => operators.add(o));
        queue.push(...refs.relations);
      }
    }
  }
  if (functions.size === 0 && operators.size === 0) return risks;
  const unsafe = await db.query<{ name: string; detail: string }>(
    `WITH fns AS (
       SELECT unnest($1::oid[]) AS fn
       UNION SELECT o.oprcode::oid FROM pg_operator o WHERE o.oid = ANY ($2::oid[])
     ),
     all_fns AS (
       SELECT fn FROM fns
       UNION
       SELECT unnest(ARRAY[a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid, a.aggserialfn::oid, a.aggdeserialfn::oid,
                           a.aggmtransfn::oid, a.aggminvtransfn::oid, a.aggmfinalfn::oid])
         FROM fns f JOIN pg_aggregate a ON a.aggfnoid = f.fn
     )
     SELECT n.nspname || '.' || p.proname AS name,
            concat_ws(', ',
              CASE WHEN p.provolatile = 'v' THEN 'volatile' END,
              CASE WHEN NOT trusted THEN 'written in ' || l.lanname || ' by a database user' END,
              CASE WHEN p.prosecdef THEN 'security definer' END,
              CASE WHEN p.proname ~ $3 THEN 'reaches outside the database' END) AS detail
       FROM all_fns f
       JOIN pg_proc p ON p.oid = f.fn
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_language l ON l.oid = p.prolang
       CROSS JOIN LATERAL (SELECT (n.nspname = 'pg_catalog' AND l.lanname IN ('internal', 'c', 'sql'))
                                  OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') AS trusted) t
      WHERE f.fn <> 0 AND (p.provolatile = 'v' OR NOT trusted OR p.prosecdef OR p.proname ~ $3)
      ORDER BY 1
      LIMIT 20`,
    [[...functions], [...operators], OUTSIDE],
  );
  return [...risks, ...unsafe.rows.map((r) => ({ kind: 'function' as const, name: r.name, detail: r.detail }))];
}

/** Why a relation is not sampled, in a sentence; undefined when it is safe to read. */
export function describeRisks(relation: string, risks: readonly SampleRisk[]): string | undefined {
  if (risks.length === 0) return undefined;
  const parts = risks.slice(0, 3).map((r) => (r.kind === 'foreign-table' ? `${r.name} is ${r.detail}` : `it calls ${r.name} (${r.detail})`));
  return `reading ${relation} would run code a read-only transaction cannot contain: ${parts.join('; ')}${risks.length > 3 ? `; and ${risks.length - 3} more` : ''}`;
}
