import { loadModule, parseSync } from 'libpg-query';
import { SqlSyntaxError } from '../../errors/index.js';

/**
 * SQL parsed by PostgreSQL's own parser (libpg_query compiled to WebAssembly, the `libpg-query`
 * package): the linter and the migration runner see statements exactly as the server would,
 * not as a regular expression guesses. Chosen over pure-JS parsers because it accepts every
 * statement PostgreSQL accepts (PostGIS functions, CONCURRENTLY, DO blocks, ...) and is
 * maintained against each PostgreSQL release.
 */
export interface Statement {
  /** The statement's text, trimmed. */
  sql: string;
  /** Offset of the statement in the source text. */
  offset: number;
  /** The node type (IndexStmt, AlterTableStmt, ...). */
  type: string;
  /** The parse tree of the statement. */
  node: Record<string, unknown>;
}

export { SqlSyntaxError };

let loaded: Promise<void> | undefined;
/** Loads the parser (WebAssembly) once per process. */
export const loadParser = (): Promise<void> => (loaded ??= loadModule());

/** Splits SQL into statements with their parse trees. Call loadParser() first. */
export function parseStatements(sql: string): Statement[] {
  let result;
  try {
    result = parseSync(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    throw new SqlSyntaxError((error as Error).message, details?.cursorPosition ?? 0);
  }
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const raw = s.stmt_len ? sql.slice(start, start + s.stmt_len) : sql.slice(start);
    const lead = raw.length - raw.trimStart().length;
    const stmt = (s.stmt ?? {}) as Record<string, unknown>;
    const type = Object.keys(stmt)[0] ?? 'Unknown';
    return { sql: raw.trim().replace(/;\s*$/, ''), offset: start + lead, type, node: (stmt[type] ?? {}) as Record<string, unknown> };
  });
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Statements PostgreSQL refuses to run inside a transaction block: they run on their own,
 * outside the migration's transaction.
 */
export function isNonTransactional(s: Statement): boolean {
  const n = s.node as Record<string, unknown> & { concurrent?: boolean; params?: Array<{ DefElem?: { defname?: string } }>; kind?: string };
  switch (s.type) {
    case 'IndexStmt':
    case 'DropStmt':
      return n.concurrent === true;
    case 'ReindexStmt':
      return (n.params ?? []).some((p) => p.DefElem?.defname === 'concurrently');
    case 'VacuumStmt':
      return (n as { is_vacuumcmd?: boolean }).is_vacuumcmd === true;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'AlterSystemStmt':
      return true;
    default:
      return false;
  }
}
