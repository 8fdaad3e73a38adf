import { HonuaError } from '../errors/index.js';
import { compare, describeExpectation, type Expectation, parseExpectation, type Check, type Precondition, formatDuration } from '../config/index.js';
import type { Database, Queryable } from './database.js';
import { quoteLiteral } from './quote.js';

/**
 * Runs a check query and judges the result against its expectation, explaining what was
 * expected and what came back. Plan expectations read `EXPLAIN (FORMAT JSON)`; the query runs
 * (EXPLAIN ANALYZE) only when the check asks for `analyze: true` or its own text says ANALYZE.
 */
export interface CheckResult {
  name: string;
  passed: boolean;
  expected: string;
  actual: string;
  durationMs: number;
}

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode | undefined, out: PlanNode[] = []): PlanNode[] {
  if (!node) return out;
  out.push(node);
  for (const child of node.Plans ?? []) planNodes(child, out);
  return out;
}

const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

function judgePlan(e: Expectation & { kind: 'plan' }, nodes: PlanNode[]): { passed: boolean; actual: string } {
  const matches = nodes.filter((n) => {
    const type = n['Node Type'] ?? '';
    const typeOk = e.node === 'any index scan' ? INDEX_SCANS.has(type) : e.node === 'Index Scan' ? INDEX_SCANS.has(type) : type === e.node;
    const target = e.node === 'Seq Scan' ? n['Relation Name'] : n['Index Name'];
    return typeOk && (e.target === undefined || target === e.target);
  });
  const summary = nodes
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`)
    .join(', ');
  return { passed: e.negate ? matches.length === 0 : matches.length > 0, actual: `plan: ${summary || '(empty)'}` };
}

const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : typeof v === 'bigint' ? Number(v) : undefined;

/** Judges rows (first column) against a non-plan expectation. */
export function judgeRows(e: Expectation, rows: Array<Record<string, unknown>>, durationMs: number): { passed: boolean; actual: string } {
  const first = rows.map((r) => Object.values(r)[0]);
  switch (e.kind) {
    case 'rows':
      return { passed: compare(rows.length, e.comparison), actual: `${rows.length} row${rows.length === 1 ? '' : 's'}` };
    case 'value': {
      const v = asNumber(first[0]);
      if (v === undefined) return { passed: false, actual: rows.length === 0 ? 'no rows' : `the value ${JSON.stringify(first[0])}, not a number` };
      return { passed: compare(v, e.comparison), actual: `${v}` };
    }
    case 'all': {
      const bad = first.filter((v) => v !== e.value && v !== String(e.value) && v !== (e.value ? 't' : 'f'));
      return {
        passed: rows.length > 0 && bad.length === 0,
        actual: rows.length === 0 ? 'no rows' : bad.length === 0 ? `all ${rows.length} ${e.value}` : `${bad.length} of ${rows.length} not ${e.value}`,
      };
    }
    case 'equals': {
      const v = first[0];
      const passed = rows.length === 1 && (v === e.value || String(v) === String(e.value) || (typeof e.value === 'boolean' && v === (e.value ? 't' : 'f')));
      return { passed, actual: rows.length === 0 ? 'no rows' : `${JSON.stringify(v)}${rows.length > 1 ? ` (and ${rows.length - 1} more rows)` : ''}` };
    }
    case 'duration':
      return { passed: compare(durationMs, e.comparison), actual: formatDuration(durationMs) };
    case 'plan':
      return { passed: false, actual: 'a plan expectation needs EXPLAIN output' };
  }
}

export async function runCheck(db: Queryable, check: Check): Promise<CheckResult> {
  if (check.type === 'ogc') throw new HonuaError('internal-error', 'OGC checks run against the server, not the database');
  const start = performance.now();
  const e = check.expectation;
  if (e.kind === 'plan') {
    const body = check.query.replace(/^\s*explain\s+(\([^)]*\)\s*)?(analy[sz]e\s+)?/i, '');
    const analyze = check.analyze || /^\s*explain\s+(\([^)]*analy[sz]e[^)]*\)|analy[sz]e)/i.test(check.query);
    // "Index Scan using X" asks whether the planner CAN use X for this query. On development-size
    // tables it prefers a sequential scan whatever the indexes, so sequential scans are switched
    // off for the EXPLAIN; an index that cannot serve the query still is not used. Negative
    // expectations ("no Seq Scan") are judged with the planner as it is.
    const askIndex = !e.negate && e.node !== 'Seq Scan';
    const explainSql = `EXPLAIN (FORMAT JSON${analyze ? ', ANALYZE' : ''}) ${body}`;
    const run = async (c: Queryable) => {
      if (!askIndex) return c.query<{ 'QUERY PLAN': unknown }>(explainSql);
      await c.exec('SET enable_seqscan = off');
      try {
        return await c.query<{ 'QUERY PLAN': unknown }>(explainSql);
      } finally {
        await c.exec('RESET enable_seqscan');
      }
    };
    const r = 'session' in db ? await (db as Database).session(run) : await run(db);
    const raw = r.rows[0]?.['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan?: PlanNode }>;
    const judged = judgePlan(e, planNodes(parsed[0]?.Plan));
    return { name: check.name, ...judged, expected: describeExpectation(e), durationMs: performance.now() - start };
  }
  const r = await db.query(check.query);
  const durationMs = performance.now() - start;
  return { name: check.name, ...judgeRows(e, r.rows, durationMs), expected: describeExpectation(e), durationMs };
}

/** A precondition as a check query. */
export function preconditionCheck(p: Precondition, index: number): Check {
  const schema = 'schema' in p && p.schema ? quoteLiteral(p.schema) : 'current_schema()';
  const one = (name: string, query: string): Check => ({
    type: 'query',
    name,
    query,
    expected: '1 row',
    expectation: { kind: 'rows', comparison: { op: '=', value: 1 } },
    analyze: false,
  });
  switch (p.type) {
    case 'table-exists':
      return one(`table ${p.table} exists`, `SELECT 1 FROM information_schema.tables WHERE table_schema = ${schema} AND table_name = ${quoteLiteral(p.table)}`);
    case 'column-exists':
      return one(
        `column ${p.table}.${p.column} exists`,
        `SELECT 1 FROM information_schema.columns WHERE table_schema = ${schema} AND table_name = ${quoteLiteral(p.table)} AND column_name = ${quoteLiteral(p.column)}`,
      );
    case 'extension-exists':
      return one(`extension ${p.extension} is installed`, `SELECT 1 FROM pg_extension WHERE extname = ${quoteLiteral(p.extension)}`);
    case 'index-exists':
      return one(`index ${p.index} exists`, `SELECT 1 FROM pg_indexes WHERE schemaname = ${schema} AND indexname = ${quoteLiteral(p.index)}`);
    case 'query': {
      const parsed = parseExpectation(p.expected);
      if (!parsed.ok) throw new HonuaError('internal-error', `an expectation that passed validation does not parse: ${parsed.message}`);
      return {
        type: 'query',
        name: p.name ?? `precondition ${index + 1}`,
        query: p.query,
        expected: String(p.expected),
        expectation: parsed.expectation,
        analyze: false,
      };
    }
  }
}

export const explain = (r: CheckResult): string => `${r.name}: expected ${r.expected}, got ${r.actual}`;
