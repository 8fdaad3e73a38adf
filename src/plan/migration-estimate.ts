/**
 * A rough duration for a migration step from what its SQL does and how many rows the tables it
 * touches hold (`honua-ai migrate plan`). Rates are deliberately conservative figures for a
 * modest server (a GiST build is far slower per row than a B-tree; CONCURRENTLY scans twice);
 * the result is an order of magnitude for planning a window, said to be an estimate, never a
 * promise.
 */
export interface StepEstimate {
  seconds: number;
  basis: string;
}

interface Rule {
  test: RegExp;
  /** Rows per second; 0: does not depend on the table's size. */
  rate: number;
  what: string;
  factor?: (sql: string) => number;
}

const RULES: Rule[] = [
  {
    test: /\bcreate\s+(unique\s+)?index\b[\s\S]*\busing\s+(gist|spgist|brin)\b/i,
    rate: 40_000,
    what: 'spatial index build',
    factor: (s) => (/concurrently/i.test(s) ? 2 : 1),
  },
  { test: /\bcreate\s+(unique\s+)?index\b/i, rate: 300_000, what: 'index build', factor: (s) => (/concurrently/i.test(s) ? 2 : 1) },
  { test: /\balter\s+table\b[\s\S]*\balter\s+column\b[\s\S]*\btype\b/i, rate: 80_000, what: 'table rewrite (type change)' },
  { test: /\bupdate\b[\s\S]*\bset\b/i, rate: 40_000, what: 'row updates' },
  { test: /\binsert\s+into\b[\s\S]*\bselect\b/i, rate: 100_000, what: 'row copy' },
  { test: /\badd\s+constraint\b(?![\s\S]*\bnot\s+valid\b)/i, rate: 500_000, what: 'constraint validation scan' },
  { test: /\bvacuum\s+full\b|\bcluster\b/i, rate: 80_000, what: 'table rewrite' },
  { test: /\banalyze\b/i, rate: 2_000_000, what: 'statistics sample' },
];

const TABLE = /\b(?:on|table|update|into|analyze|from)\s+(?:only\s+)?(?:if\s+(?:not\s+)?exists\s+)?((?:"[^"]+"|[a-z_][\w$]*)(?:\.(?:"[^"]+"|[a-z_][\w$]*))?)/gi;

const bare = (name: string): string => name.replace(/"/g, '').toLowerCase();

/** The tables a statement names (qualified or not), as written, lower-cased. */
const withoutComments = (sql: string): string => sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');

export function tablesIn(sql: string): string[] {
  return [
    ...new Set([...withoutComments(sql).matchAll(TABLE)].map((m) => bare(m[1] ?? '')).filter((t) => t !== '' && !['only', 'exists', 'select'].includes(t))),
  ];
}

export function estimateStep(text: string, rowsOf: (table: string) => number | undefined): StepEstimate {
  const sql = withoutComments(text);
  const rule = RULES.find((r) => r.test.test(sql));
  if (!rule) return { seconds: 1, basis: 'metadata-only statement (catalog change)' };
  const tables = tablesIn(sql);
  const rows = tables.map((t) => rowsOf(t) ?? rowsOf(t.split('.').pop() ?? t)).filter((n): n is number => n !== undefined);
  if (rows.length === 0) return { seconds: 1, basis: `${rule.what}; table size unknown` };
  const total = rows.reduce((a, b) => a + b, 0);
  const seconds = Math.max(1, Math.ceil((total / rule.rate) * (rule.factor?.(sql) ?? 1)));
  return { seconds, basis: `${rule.what} over ${total.toLocaleString('en-US')} rows (${tables.join(', ')})` };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `~${s}s`;
  if (s < 3600) return `~${Math.round(s / 60)} min`;
  return `~${(s / 3600).toFixed(1)} h`;
}
