/** SQL identifiers and literals, quoted the way PostgreSQL's quote_ident/quote_literal do. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `schema.table` with each part quoted; an unqualified name stays unqualified. */
export const quoteQualified = (table: string, schema?: string): string => (schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table));

export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;
