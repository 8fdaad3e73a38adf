import type { Queryable } from '../database.js';

/**
 * honua.schema_history: one row per attempt to apply (up) or revert (down) a migration,
 * append-only, so the history shows every step, failures included. A migration is applied when
 * its latest successful row is an `up`.
 */
export const HISTORY_DDL = `
CREATE SCHEMA IF NOT EXISTS honua;
CREATE TABLE IF NOT EXISTS honua.schema_history (
  installed_rank serial PRIMARY KEY,
  id text NOT NULL,
  name text NOT NULL,
  description text,
  checksum text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down')),
  environment text,
  deployment_id text,
  applied_by text,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer,
  success boolean NOT NULL,
  steps_done integer NOT NULL DEFAULT 0,
  steps_total integer,
  error text
);`;

export interface HistoryRow {
  installed_rank: number;
  id: string;
  name: string;
  description: string | null;
  checksum: string;
  direction: 'up' | 'down';
  environment: string | null;
  deployment_id: string | null;
  applied_by: string | null;
  applied_at: string;
  execution_ms: number | null;
  success: boolean;
  steps_done: number;
  steps_total: number | null;
  error: string | null;
}

export async function ensureHistory(db: Queryable): Promise<void> {
  await db.exec(HISTORY_DDL);
}

export async function readHistory(db: Queryable): Promise<HistoryRow[]> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('honua.schema_history')::text AS t`);
  if (!exists.rows[0]?.t) return [];
  const r = await db.query<HistoryRow>('SELECT *, applied_at::text AS applied_at FROM honua.schema_history ORDER BY installed_rank');
  return r.rows;
}

export interface HistoryEntry {
  id: string;
  name: string;
  description: string;
  checksum: string;
  direction: 'up' | 'down';
  environment?: string | undefined;
  deploymentId?: string | undefined;
  appliedBy: string;
  executionMs: number;
  success: boolean;
  stepsDone: number;
  stepsTotal: number;
  error?: string | undefined;
}

export async function recordHistory(db: Queryable, e: HistoryEntry): Promise<number> {
  const r = await db.query<{ installed_rank: number }>(
    `INSERT INTO honua.schema_history (id, name, description, checksum, direction, environment, deployment_id, applied_by, execution_ms, success, steps_done, steps_total, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING installed_rank`,
    [
      e.id,
      e.name,
      e.description,
      e.checksum,
      e.direction,
      e.environment ?? null,
      e.deploymentId ?? null,
      e.appliedBy,
      Math.round(e.executionMs),
      e.success,
      e.stepsDone,
      e.stepsTotal,
      e.error ?? null,
    ],
  );
  return r.rows[0]?.installed_rank ?? 0;
}

export async function updateProgress(db: Queryable, rank: number, stepsDone: number, success: boolean, executionMs: number, error?: string): Promise<void> {
  await db.query('UPDATE honua.schema_history SET steps_done = $2, success = $3, execution_ms = $4, error = $5 WHERE installed_rank = $1', [
    rank,
    stepsDone,
    success,
    Math.round(executionMs),
    error ?? null,
  ]);
}

/** The state per migration name: its latest successful row (applied when that row is an `up`), and its latest row of any kind. */
export function currentState(rows: readonly HistoryRow[]): Map<string, { applied?: HistoryRow; last: HistoryRow }> {
  const out = new Map<string, { applied?: HistoryRow; last: HistoryRow }>();
  for (const r of rows) {
    const entry = out.get(r.name) ?? { last: r };
    entry.last = r;
    if (r.success) {
      if (r.direction === 'up') entry.applied = r;
      else delete entry.applied;
    }
    out.set(r.name, entry);
  }
  return out;
}
