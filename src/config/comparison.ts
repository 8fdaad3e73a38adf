/** Numeric comparisons as users write them: "> 10", ">= 1", "= 0", "!= 0", "< 5". */
export type Comparator = '>' | '>=' | '<' | '<=' | '=' | '!=';

export interface Comparison {
  op: Comparator;
  value: number;
}

const COMPARISON = /^(>=|<=|!=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)$/;

export function parseComparison(text: string): Comparison | undefined {
  const m = COMPARISON.exec(text.trim());
  if (!m) return undefined;
  return { op: (m[1] === '==' ? '=' : m[1]) as Comparator, value: Number(m[2]) };
}

export function compare(actual: number, c: Comparison): boolean {
  switch (c.op) {
    case '>':
      return actual > c.value;
    case '>=':
      return actual >= c.value;
    case '<':
      return actual < c.value;
    case '<=':
      return actual <= c.value;
    case '=':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
  }
}

const WORDS: Record<Comparator, string> = {
  '>': 'more than',
  '>=': 'at least',
  '<': 'less than',
  '<=': 'at most',
  '=': 'exactly',
  '!=': 'anything but',
};

export const describeComparison = (c: Comparison): string => `${WORDS[c.op]} ${c.value}`;
export const formatComparison = (c: Comparison): string => `${c.op} ${c.value}`;
