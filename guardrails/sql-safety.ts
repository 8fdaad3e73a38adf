/**
 * SQL safety for the consultant: the checks and the read-only query runner live with the
 * database layer (src/db/read-only-query.ts), which the engine calls; this is the guardrails'
 * view of them.
 */
export { assertReadOnlySql, readOnlyQuery, UnsafeSqlError } from '../src/db/read-only-query.js';
export type { ReadOnlyQueryOptions } from '../src/db/read-only-query.js';
