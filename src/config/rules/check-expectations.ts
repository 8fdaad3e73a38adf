import { parseExpectation } from '../expectation.js';
import type { PathSegment } from '../locate.js';
import { isPlainObject } from '../overlay.js';
import { problemAt } from '../place.js';
import type { Problem } from '../problem.js';
import type { SourceDocument } from '../source-document.js';

/**
 * A plan expectation ("Index Scan using idx") is judged against EXPLAIN output, so it only fits
 * a `performance` check or a query that is itself an EXPLAIN.
 */
export function checkExpectationFit(doc: SourceDocument, checks: unknown, base: PathSegment[], environment?: string): Problem[] {
  if (!Array.isArray(checks)) return [];
  const out: Problem[] = [];
  checks.forEach((c, i) => {
    if (!isPlainObject(c) || c.expected === undefined || c.type === 'performance') return;
    const parsed = parseExpectation(c.expected as string);
    if (!parsed.ok || parsed.expectation.kind !== 'plan') return;
    if (typeof c.query === 'string' && /^\s*explain\b/i.test(c.query)) return;
    out.push(
      problemAt(
        { doc, path: [...base, i, 'expected'] },
        {
          code: 'expectation-mismatch',
          message: `"${String(c.expected)}" is judged against a query plan, but this is a ${String(c.type)} check on a plain query`,
          ...(environment ? { environment } : {}),
        },
      ),
    );
  });
  return out;
}
