import { quoteIdent } from '../db/index.js';

/**
 * An identifier as SQL text in generated files: bare when it is a plain lowercase name that is
 * not a keyword PostgreSQL reserves (so generated SQL reads like hand-written SQL), quoted
 * otherwise (`"Order"`, `"user"`, `"a""b"`). Reserved and type/function-name keywords are those
 * of PostgreSQL 15 (Appendix C); a test checks each against the server's own scanner.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  // reserved
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check', 'collate', 'column',
  'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time', 'current_timestamp', 'current_user',
  'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant',
  'group', 'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not',
  'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some',
  'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when', 'where', 'window',
  'with',
  // reserved (can be function or type name): not allowed as column names
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze', 'full', 'ilike', 'inner', 'is',
  'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer', 'overlaps', 'right', 'similar', 'tablesample', 'verbose',
]);

export const sqlIdent = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name) ? name : quoteIdent(name));
