import { HonuaError } from '../../errors/index.js';
import type { Queryable } from '../database.js';

/**
 * One migration runner at a time per database: a session-level advisory lock, held on the
 * runner's own connection (a transaction-level lock would deadlock with CREATE INDEX
 * CONCURRENTLY, which waits for every other transaction). Waits up to `waitMs`, then says who
 * holds it.
 */
export const LOCK_KEY = 7_414_251_338; // a constant: "honua" migration lock

export async function acquireMigrationLock(conn: Queryable, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const r = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int8) AS ok', [LOCK_KEY]);
    if (r.rows[0]?.ok) return;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * (attempt + 1), 1000, Math.max(10, deadline - Date.now()))));
  }
  const holder = await conn
    .query<{ pid: number; application_name: string; client_addr: string | null; backend_start: string; usename: string }>(
      `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.backend_start::text AS backend_start, a.usename
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::int8 << 32) | l.objid::int8) = $1::int8
      LIMIT 1`,
      [LOCK_KEY],
    )
    .catch(() => ({ rows: [] as Array<{ pid: number; application_name: string; client_addr: string | null; backend_start: string; usename: string }> }));
  const h = holder.rows[0];
  const who = h
    ? `process ${h.pid} (${h.application_name || 'unknown application'}, user ${h.usename}${h.client_addr ? ` from ${h.client_addr}` : ''}, connected since ${h.backend_start})`
    : 'another session';
  throw new HonuaError('migration-locked', `another migration run holds the lock: ${who}`, {
    fault: 'user',
    hint: 'Wait for it to finish (or pass --wait 5m to wait for it), then run again.',
    data: { holder: h ?? null },
  });
}

export async function releaseMigrationLock(conn: Queryable): Promise<void> {
  await conn.query('SELECT pg_advisory_unlock($1::int8)', [LOCK_KEY]);
}
