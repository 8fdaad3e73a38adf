import { type Comparator, type Comparison, describeComparison, parseComparison } from './comparison.js';
import { formatDuration } from './duration.js';

/**
 * The expectation grammar of checks (layer health checks, migration pre-conditions and
 * validations). Parsed at validation time so a typo fails `honua validate`, not a deployment.
 *
 *   "> 0", ">= 10", "= 1", "!= 0", "42"        the first column of the first row, compared
 *   "1 row", "0 rows", "no rows", "at least 10 rows", "at most 5 rows", "> 3 rows"
 *   "all true", "all false"                    every value of the first column
 *   "true", "false", "'text'"                  the single value equals
 *   "Index Scan using idx", "Index Only Scan using idx", "Bitmap Index Scan on idx",
 *   "uses index idx", "Seq Scan on t", "no Seq Scan", "no Seq Scan on t"   EXPLAIN plan nodes
 *   "< 200ms", "<= 2s"                          execution time
 */
export type PlanNodeType = 'Index Scan' | 'Index Only Scan' | 'Bitmap Index Scan' | 'Seq Scan' | 'any index scan';

export type Expectation =
  | { kind: 'value'; comparison: Comparison }
  | { kind: 'rows'; comparison: Comparison }
  | { kind: 'all'; value: boolean }
  | { kind: 'equals'; value: boolean | string }
  | { kind: 'plan'; negate: boolean; node: PlanNodeType; target?: string }
  | { kind: 'duration'; comparison: Comparison };

export type ExpectationResult = { ok: true; expectation: Expectation } | { ok: false; message: string };

const ROWS = /^(?:(at least|at most|more than|fewer than|less than|exactly)\s+|(>=|<=|!=|==|=|>|<)\s*)?(\d+|no|zero)\s+rows?$/i;
const DURATION = /^(>=|<=|==|=|>|<)\s*(\d+(?:\.\d+)?)\s*(ms|s|m)$/i;
const PLAN = /^(no\s+)?(index only scan|bitmap index scan|index scan|seq scan|sequential scan)(?:\s+(?:using|on)\s+("[^"]+"|[\w.$]+))?$/i;
const USES_INDEX = /^(does not use|doesn't use|uses?)\s+(?:an?\s+)?index(?:\s+("[^"]+"|[\w.$]+))?$/i;

const WORD_OPS: Record<string, Comparator> = {
  'at least': '>=',
  'at most': '<=',
  'more than': '>',
  'fewer than': '<',
  'less than': '<',
  exactly: '=',
};

const PLAN_NODES: Record<string, PlanNodeType> = {
  'index scan': 'Index Scan',
  'index only scan': 'Index Only Scan',
  'bitmap index scan': 'Bitmap Index Scan',
  'seq scan': 'Seq Scan',
  'sequential scan': 'Seq Scan',
};

const unquote = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

export function parseExpectation(input: string | number | boolean): ExpectationResult {
  if (typeof input === 'number') return { ok: true, expectation: { kind: 'value', comparison: { op: '=', value: input } } };
  if (typeof input === 'boolean') return { ok: true, expectation: { kind: 'equals', value: input } };
  const text = input.trim().replace(/\s+/g, ' ');
  if (text.length === 0) return { ok: false, message: 'the expectation is empty' };

  const cmp = parseComparison(text);
  if (cmp) return { ok: true, expectation: { kind: 'value', comparison: cmp } };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { ok: true, expectation: { kind: 'value', comparison: { op: '=', value: Number(text) } } };

  const rows = ROWS.exec(text);
  if (rows) {
    const n = /^(no|zero)$/i.test(rows[3] ?? '') ? 0 : Number(rows[3]);
    const word = rows[1]?.toLowerCase();
    const op: Comparator = word ? (WORD_OPS[word] ?? '=') : rows[2] ? ((rows[2] === '==' ? '=' : rows[2]) as Comparator) : '=';
    return { ok: true, expectation: { kind: 'rows', comparison: { op, value: n } } };
  }

  const all = /^all (true|false)$/i.exec(text);
  if (all) return { ok: true, expectation: { kind: 'all', value: all[1]?.toLowerCase() === 'true' } };
  if (/^(true|false)$/i.test(text)) return { ok: true, expectation: { kind: 'equals', value: text.toLowerCase() === 'true' } };
  const quoted = /^'(.*)'$/.exec(text);
  if (quoted) return { ok: true, expectation: { kind: 'equals', value: quoted[1] ?? '' } };

  const dur = DURATION.exec(text);
  if (dur) {
    const unit = (dur[3] ?? 's').toLowerCase();
    const ms = Number(dur[2]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
    return { ok: true, expectation: { kind: 'duration', comparison: { op: (dur[1] === '==' ? '=' : dur[1]) as Comparator, value: ms } } };
  }

  const plan = PLAN.exec(text);
  if (plan) {
    const node = PLAN_NODES[(plan[2] ?? '').toLowerCase()] ?? 'Seq Scan';
    const e: Expectation = { kind: 'plan', negate: Boolean(plan[1]), node };
    if (plan[3]) e.target = unquote(plan[3]);
    return { ok: true, expectation: e };
  }
  const uses = USES_INDEX.exec(text);
  if (uses) {
    const e: Expectation = { kind: 'plan', negate: !/^uses?$/i.test(uses[1] ?? ''), node: 'any index scan' };
    if (uses[2]) e.target = unquote(uses[2]);
    return { ok: true, expectation: e };
  }

  return {
    ok: false,
    message: `cannot understand the expectation "${text}"`,
  };
}

/** Whether the expectation is judged against an EXPLAIN plan rather than query results. */
export const isPlanExpectation = (e: Expectation): boolean => e.kind === 'plan';

/** The expectation in words, for explanations ("expected at least 1 row, got 0"). */
export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'value':
      return `a value of ${describeComparison(e.comparison)}`;
    case 'rows': {
      const { op, value } = e.comparison;
      if (op === '=' && value === 0) return 'no rows';
      return `${describeComparison(e.comparison)} row${value === 1 && op === '=' ? '' : 's'}`;
    }
    case 'all':
      return `every value to be ${e.value}`;
    case 'equals':
      return typeof e.value === 'string' ? `the value '${e.value}'` : `the value ${e.value}`;
    case 'plan': {
      const node = e.node === 'any index scan' ? 'index scan' : e.node;
      const target = e.target ? ` ${e.node === 'Seq Scan' ? 'on' : 'using'} ${e.target}` : '';
      const article = e.negate ? 'no' : /^[aeiou]/i.test(node) ? 'an' : 'a';
      return `${article} ${node}${target} in the query plan`;
    }
    case 'duration':
      return `execution time ${describeComparison({ ...e.comparison, value: 0 }).replace(/ 0$/, '')} ${formatDuration(e.comparison.value)}`;
  }
}
