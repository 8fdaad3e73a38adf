import { type Migration, buildMigrationGraph, pendingMigrations } from '../../config/index.js';
import { HonuaError } from '../../errors/index.js';
import type { Database, Queryable } from '../database.js';
import { loadParser } from '../sql/parse.js';
import { currentState, ensureHistory, readHistory } from './history.js';
import { acquireMigrationLock, releaseMigrationLock } from './lock.js';
import type { MigrationOutcome, StatusEntry } from './formats.js';
import type { RunOptions } from './run-options.js';
import { cut, migrationStatus } from './status.js';
import { applyMigration } from './apply-migration.js';

/**
 * Applies and reverts migrations with the guarantees of docs/migrations.md:
 * - one runner at a time (session advisory lock on a dedicated connection);
 * - a migration's transactional statements and its history row commit together, or nothing;
 * - statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) run on their
 *   own, progress is recorded after each, and an index they leave INVALID is detected;
 * - lock_timeout and statement_timeout are always set (per-migration overrides);
 * - preconditions before, post-up/post-down validations after; a failed validation reverts the
 *   migration when its rollback is automatic;
 * - an applied migration that changed since (checksum drift) blocks `up`.
 * Metadata steps are not the database's business: they are returned to the caller.
 */
function driftError(drifted: StatusEntry[]): HonuaError {
  return new HonuaError(
    'migration-drift',
    `applied migration${drifted.length > 1 ? 's' : ''} changed since applied: ${drifted.map((d) => d.name).join(', ')}`,
    {
      hint: 'An applied migration must not change: restore its file (git log -p shows the change) and put the change in a new migration.',
      data: { migrations: drifted.map((d) => d.name) },
    },
  );
}

async function withLock<T>(db: Database, options: RunOptions, fn: (conn: Queryable) => Promise<T>): Promise<T> {
  await loadParser();
  return db.session(async (conn) => {
    // Lock first: two first runs creating the history table at once would collide.
    await acquireMigrationLock(conn, options.lockWaitMs ?? 0);
    await ensureHistory(conn);
    try {
      return await fn(conn);
    } finally {
      await releaseMigrationLock(conn).catch(() => undefined);
    }
  });
}

export async function migrateUp(db: Database, migrations: readonly Migration[], options: RunOptions = {}): Promise<MigrationOutcome[]> {
  return withLock(db, options, async (conn) => {
    const status = await migrationStatus(conn, migrations);
    const drifted = status.migrations.filter((m) => m.state === 'drift');
    if (drifted.length > 0) throw driftError(drifted);
    // Applied includes migrations whose validation failed afterwards (state failed with an appliedAt): they ran.
    const applied = status.migrations.filter((m) => m.state === 'applied' || (m.state === 'failed' && m.appliedAt !== undefined)).map((m) => m.name);
    const { pending } = pendingMigrations(buildMigrationGraph(migrations), applied);
    const outcomes: MigrationOutcome[] = [];
    for (const m of cut(pending, options.to, 'up')) outcomes.push(await applyMigration(conn, m, 'up', options));
    return outcomes;
  });
}

/**
 * Reverts the last applied migration, down to (not including) `to`, or exactly the applied ones
 * of `only` (a deployment reverting what it applied), newest first. All are checked before any
 * is reverted: one without down steps, or changed since it was applied, stops it with nothing done.
 */
export async function migrateDown(
  db: Database,
  migrations: readonly Migration[],
  options: RunOptions & { only?: readonly string[] } = {},
): Promise<MigrationOutcome[]> {
  return withLock(db, options, async (conn) => {
    const state = currentState(await readHistory(conn));
    const order = buildMigrationGraph(migrations)
      .order.filter((m) => state.get(m.name)?.applied)
      .reverse();
    const targets =
      options.only !== undefined
        ? order.filter((m) => options.only?.includes(m.name))
        : options.to === undefined
          ? order.slice(0, 1)
          : cut(order, options.to, 'down');
    // Check everything first, so a revert never stops halfway.
    const irreversible = targets.filter((m) => m.down.length === 0);
    if (irreversible.length > 0) {
      throw new HonuaError('irreversible-migration', `migration ${irreversible.map((m) => m.name).join(', ')} has no down steps and cannot be reverted`, {
        hint: 'Write its down steps, or restore a backup. Nothing was reverted.',
      });
    }
    const drifted = targets.filter((m) => state.get(m.name)?.applied?.checksum !== m.checksum);
    if (drifted.length > 0) throw driftError(drifted.map((m) => ({ id: m.id, name: m.name, description: m.description, state: 'drift' })));
    const outcomes: MigrationOutcome[] = [];
    for (const m of targets) outcomes.push(await applyMigration(conn, m, 'down', options));
    return outcomes;
  });
}
