import { z } from 'zod';

/**
 * The linter's catalogue: every rule's code, severity, what it catches and how to do it safely.
 * Rule names follow Squawk's where one exists; the PostGIS rules (SRID changes, geometry
 * narrowing, geometry columns without a spatial index) are ours. Each code is raised by one
 * check (statement-checks.ts, migration-checks.ts).
 */
export type LintSeverity = 'error' | 'warning';

export const LINT_RULES = {
  'sql-syntax-error': { severity: 'error', summary: 'The SQL does not parse.', hint: 'Fix the statement; PostgreSQL would reject it too.' },
  'ban-drop-table': {
    severity: 'error',
    summary: 'Drops a table and its data.',
    hint: 'Make sure nothing reads it (layers, views) and that a backup exists; keep the down step able to recreate it.',
  },
  'ban-drop-column': {
    severity: 'error',
    summary: 'Drops a column and its data; layers and clients reading it break.',
    hint: 'Remove the field from every layer first, deploy, then drop the column in a later migration.',
  },
  'ban-drop-schema': { severity: 'error', summary: 'Drops a whole schema.', hint: 'Drop the objects you mean explicitly.' },
  'ban-cascade': {
    severity: 'error',
    summary: 'DROP ... CASCADE removes dependent objects you did not name (views, constraints).',
    hint: 'Drop dependents explicitly, then drop without CASCADE.',
  },
  'ban-truncate': {
    severity: 'error',
    summary: 'TRUNCATE empties a table under an ACCESS EXCLUSIVE lock.',
    hint: 'Delete what you mean with a WHERE clause, in batches on large tables.',
  },
  'renaming-table': {
    severity: 'warning',
    summary: 'Renaming a table breaks layers, views and clients that use the old name.',
    hint: 'Create a view with the old name, or update every layer in the same deployment.',
  },
  'renaming-column': {
    severity: 'warning',
    summary: 'Renaming a column breaks layers and clients that use the old name.',
    hint: 'Add the new column, copy, move readers, then drop the old one later.',
  },
  'adding-not-nullable-field': {
    severity: 'error',
    summary: 'Adds a NOT NULL column without a default: fails on a non-empty table.',
    hint: 'Add it nullable (or with a constant default), backfill, then SET NOT NULL.',
  },
  'setting-not-nullable': {
    severity: 'warning',
    summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock.',
    hint: 'Add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then SET NOT NULL.',
  },
  'adding-field-with-volatile-default': {
    severity: 'warning',
    summary: 'A volatile default (random(), clock_timestamp(), gen_random_uuid()) rewrites the whole table.',
    hint: 'Add the column without a default, then set the default and backfill in batches.',
  },
  'changing-column-type': {
    severity: 'warning',
    summary: 'Changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock.',
    hint: 'Add a new column, backfill, switch readers, then drop the old column.',
  },
  'srid-change': {
    severity: 'error',
    summary: "Changes a geometry column's SRID: rewrites the table, invalidates its spatial index, and moves every coordinate clients see.",
    hint: 'Add a new column in the new SRID, fill it with ST_Transform, index it, switch layers, then drop the old column; or serve the other CRS with OGC API Features Part 2 instead.',
  },
  'geometry-type-narrowing': {
    severity: 'error',
    summary: 'Narrows a geometry column (Multi* to single): fails on rows with several parts, or silently drops parts.',
    hint: 'Keep the Multi type, or check SELECT count(*) WHERE ST_NumGeometries(geom) > 1 first and decide what to do with those rows.',
  },
  'geometry-without-spatial-index': {
    severity: 'warning',
    summary: 'A geometry or geography column without a GiST index: every bounding-box query reads the whole table.',
    hint: 'CREATE INDEX CONCURRENTLY ... USING GIST (column) in the same migration.',
  },
  'require-concurrent-index-creation': {
    severity: 'warning',
    summary: 'CREATE INDEX without CONCURRENTLY blocks writes to an existing table for the whole build.',
    hint: 'Use CREATE INDEX CONCURRENTLY (Honua runs it outside a transaction and checks the index is valid).',
  },
  'require-concurrent-index-deletion': {
    severity: 'warning',
    summary: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.',
    hint: 'Use DROP INDEX CONCURRENTLY.',
  },
  'ban-concurrent-index-creation-in-transaction': {
    severity: 'error',
    summary: 'CONCURRENTLY cannot run inside a transaction block.',
    hint: 'Remove BEGIN/COMMIT and transactional: true from the step; Honua runs CONCURRENTLY statements on their own.',
  },
  'constraint-missing-not-valid': {
    severity: 'warning',
    summary: 'Adding a CHECK or FOREIGN KEY constraint validates every row under a lock.',
    hint: 'ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later step (it takes a weaker lock).',
  },
  'update-without-where': {
    severity: 'error',
    summary: 'UPDATE without WHERE changes every row.',
    hint: 'Add a WHERE clause; on large tables update in batches.',
  },
  'delete-without-where': { severity: 'error', summary: 'DELETE without WHERE removes every row.', hint: 'Add a WHERE clause.' },
  'require-timeout-settings': {
    severity: 'warning',
    summary: "The migration sets no lock_timeout: it relies on the runner's default (5s).",
    hint: 'Set spec.lockTimeout (and statementTimeout) on the migration, or SET lock_timeout in its SQL.',
  },
  'timeout-disabled': {
    severity: 'error',
    summary: 'Sets lock_timeout or statement_timeout to 0 (no limit): a blocked statement then blocks every query behind it.',
    hint: "Use a bounded value, e.g. SET lock_timeout = '5s'.",
  },
  'destructive-without-down': {
    severity: 'error',
    summary: 'A destructive migration with no down steps cannot be rolled back.',
    hint: 'Add down steps (or a backup-based plan) before running it.',
  },
} as const satisfies Record<string, { severity: LintSeverity; summary: string; hint: string }>;

export type LintRuleCode = keyof typeof LINT_RULES;

export const LintFindingSchema = z.object({
  code: z.enum(Object.keys(LINT_RULES) as [LintRuleCode, ...LintRuleCode[]]),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  hint: z.string(),
  migration: z.string(),
  step: z.string(),
  line: z.number().int().optional().meta({ description: "Position inside the step's SQL (1-based)." }),
  column: z.number().int().optional(),
  file: z.string().optional(),
});
export type LintFinding = z.infer<typeof LintFindingSchema>;
