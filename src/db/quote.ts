/** SQL identifiers and literals, quoted the way PostgreSQL's quote_ident/quote_literal do. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `schema.table` with each part quoted; an unqualified name stays unqualified. */
export const quoteQualified = (table: string, schema?: string): string => (schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table));

/**
 * A string literal that means the same whatever standard_conforming_strings says: with a
 * backslash in it, the escape form E'...' with backslashes doubled (as quote_literal does).
 */
export const quoteLiteral = (value: string): string =>
  value.includes('\\') ? `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${value.replace(/'/g, "''")}'`;
