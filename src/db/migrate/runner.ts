import os from 'node:os';
import { type Migration, type MigrationStep, buildMigrationGraph, pendingMigrations } from '../../config/index.js';
import { HonuaError } from '../../errors/index.js';
import { explain, preconditionCheck, runCheck } from '../checks.js';
import type { Database, Queryable } from '../database.js';
import { quoteLiteral } from '../quote.js';
import { isNonTransactional, loadParser, parseStatements, type Statement } from '../sql/parse.js';
import { currentState, ensureHistory, type HistoryRow, readHistory, recordHistory, updateProgress } from './history.js';
import { acquireMigrationLock, releaseMigrationLock } from './lock.js';
import type { MigrationOutcome, MigrationState, MigrationStatus, StatusEntry } from './formats.js';

export type { MigrationOutcome, MigrationState, MigrationStatus, StatusEntry };

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
export interface RunOptions {
  environment?: string;
  deploymentId?: string;
  appliedBy?: string;
  /** Apply up to and including this migration (id or name); revert down to but excluding it. */
  to?: string;
  /** How long to wait for another runner's lock (default 0: fail at once, saying who holds it). */
  lockWaitMs?: number;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: 'migration-start'; migration: string; direction: 'up' | 'down'; steps: number }
  | { type: 'step'; migration: string; step: string; index: number; total: number; durationMs: number; transactional: boolean }
  | { type: 'check'; migration: string; name: string; passed: boolean; detail: string }
  | { type: 'migration-done'; migration: string; direction: 'up' | 'down'; durationMs: number };

const defaultUser = (): string => process.env.HONUA_USER ?? os.userInfo().username;

export async function migrationStatus(db: Queryable, migrations: readonly Migration[]): Promise<MigrationStatus> {
  const state = currentState(await readHistory(db));
  const entries = migrations.map((m): StatusEntry => {
    const s = state.get(m.name);
    const base = { id: m.id, name: m.name, description: m.description };
    if (s?.applied && !s.last.success && s.last.installed_rank > s.applied.installed_rank) {
      return { ...base, state: 'failed', appliedAt: s.applied.applied_at, ...(s.last.error ? { error: s.last.error } : {}) };
    }
    if (s?.applied) {
      const e: StatusEntry = { ...base, state: s.applied.checksum === m.checksum ? 'applied' : 'drift', appliedAt: s.applied.applied_at };
      if (s.applied.applied_by) e.appliedBy = s.applied.applied_by;
      return e;
    }
    if (s && !s.last.success) return { ...base, state: 'failed', ...(s.last.error ? { error: s.last.error } : {}) };
    return { ...base, state: 'pending' };
  });
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...state].filter(([name, s]) => s.applied && !known.has(name)).map(([name, s]) => ({ name, appliedAt: s.applied?.applied_at ?? '' }));
  return { migrations: entries, unknown };
}

/** Which migrations `up` would apply, in order (no changes made). */
export async function planUp(db: Queryable, migrations: readonly Migration[], to?: string): Promise<Migration[]> {
  const state = currentState(await readHistory(db));
  const applied = [...state].filter(([, s]) => s.applied).map(([name]) => name);
  const { pending } = pendingMigrations(buildMigrationGraph(migrations), applied);
  return cut(pending, to, 'up');
}

function cut(list: Migration[], to: string | undefined, direction: 'up' | 'down'): Migration[] {
  if (to === undefined) return list;
  const i = list.findIndex((m) => m.id === to || m.name === to);
  if (i < 0) {
    if (direction === 'up') throw new HonuaError('unknown-migration', `--to ${to} is not a pending migration`, { hint: 'honua migrate status lists them.' });
    throw new HonuaError('unknown-migration', `--to ${to} is not an applied migration`, { hint: 'honua migrate status lists them.' });
  }
  return direction === 'up' ? list.slice(0, i + 1) : list.slice(0, i);
}

function driftError(drifted: StatusEntry[]): HonuaError {
  return new HonuaError('migration-drift', `applied migration${drifted.length > 1 ? 's' : ''} changed since applied: ${drifted.map((d) => d.name).join(', ')}`, {
    hint: 'An applied migration must not change: restore its file (git log -p shows the change) and put the change in a new migration.',
    data: { migrations: drifted.map((d) => d.name) },
  });
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

export async function migrateDown(db: Database, migrations: readonly Migration[], options: RunOptions = {}): Promise<MigrationOutcome[]> {
  return withLock(db, options, async (conn) => {
    const state = currentState(await readHistory(conn));
    const order = buildMigrationGraph(migrations).order.filter((m) => state.get(m.name)?.applied).reverse();
    const targets = options.to === undefined ? order.slice(0, 1) : cut(order, options.to, 'down');
    // Check everything first, so a revert never stops halfway.
    const irreversible = targets.filter((m) => m.down.length === 0);
    if (irreversible.length > 0) {
      throw new HonuaError('irreversible-migration', `migration ${irreversible.map((m) => m.name).join(', ')} has no down steps and cannot be reverted`, { hint: 'Write its down steps, or restore a backup. Nothing was reverted.' });
    }
    const drifted = targets.filter((m) => state.get(m.name)?.applied?.checksum !== m.checksum);
    if (drifted.length > 0) throw driftError(drifted.map((m) => ({ id: m.id, name: m.name, description: m.description, state: 'drift' })));
    const outcomes: MigrationOutcome[] = [];
    for (const m of targets) outcomes.push(await applyMigration(conn, m, 'down', options));
    return outcomes;
  });
}

interface Unit {
  step: MigrationStep;
  statements: Statement[];
  transactional: boolean;
}

function units(m: Migration, direction: 'up' | 'down'): Unit[] {
  const steps = direction === 'up' ? m.up : m.down;
  const out: Unit[] = [];
  for (const step of steps) {
    if (step.type !== 'sql') continue;
    let statements: Statement[];
    try {
      statements = parseStatements(step.sql);
    } catch (error) {
      throw new HonuaError('migration-sql-invalid', `migration ${m.name}, step "${step.name}": ${(error as Error).message}`, { cause: error, hint: 'Nothing of this migration was run. `honua migrate lint` shows where.' });
    }
    // BEGIN/COMMIT inside a step would end the runner's transaction and break all-or-nothing.
    if (statements.some((s) => s.type === 'TransactionStmt')) {
      throw new HonuaError('migration-transaction-control', `migration ${m.name}, step "${step.name}" contains BEGIN/COMMIT/ROLLBACK`, {
        hint: 'Remove them: Honua runs each migration in a transaction of its own (and CONCURRENTLY statements outside one).',
      });
    }
    // A step marked transactional: false, or holding a statement that cannot run in a
    // transaction, runs statement by statement outside the migration's transaction.
    const nonTx = step.transactional === false || m.transactional === false || statements.some(isNonTransactional);
    if (!nonTx) out.push({ step, statements, transactional: true });
    else for (const s of statements) out.push({ step, statements: [s], transactional: false });
  }
  return out;
}

async function applyMigration(conn: Queryable, m: Migration, direction: 'up' | 'down', options: RunOptions): Promise<MigrationOutcome> {
  const start = performance.now();
  const appliedBy = options.appliedBy ?? defaultUser();
  const list = units(m, direction);
  const lockTimeout = m.lockTimeoutMs ?? options.lockTimeoutMs ?? 5_000;
  const statementTimeout = m.statementTimeoutMs ?? options.statementTimeoutMs ?? 600_000;
  const timeouts = `SET lock_timeout = ${quoteLiteral(`${lockTimeout}ms`)}; SET statement_timeout = ${quoteLiteral(`${statementTimeout}ms`)};`;
  const entry = { id: m.id, name: m.name, description: m.description, checksum: m.checksum, direction, environment: options.environment, deploymentId: options.deploymentId, appliedBy, stepsTotal: list.length };
  const outcome: MigrationOutcome = { name: m.name, direction, durationMs: 0, metadataSteps: [], checks: [] };
  options.onProgress?.({ type: 'migration-start', migration: m.name, direction, steps: list.length });

  if (direction === 'up') {
    for (const [i, p] of m.preconditions.entries()) {
      const r = await runCheck(conn, preconditionCheck(p, i));
      outcome.checks.push({ name: r.name, passed: r.passed, detail: explain(r) });
      if (!r.passed) {
        await recordHistory(conn, { ...entry, executionMs: performance.now() - start, success: false, stepsDone: 0, error: `precondition failed: ${explain(r)}` });
        throw new HonuaError('precondition-failed', `migration ${m.name}: precondition failed: ${explain(r)}`, { hint: 'Nothing was changed.' });
      }
    }
  }

  const allTransactional = list.every((u) => u.transactional);
  let done = 0;
  let failedAt = 0;
  try {
    if (allTransactional) {
      // Everything, history row included, in one transaction: all or nothing.
      await conn.exec('BEGIN');
      try {
        await conn.exec(timeouts.replace(/SET /g, 'SET LOCAL '));
        for (const u of list) await runUnit(conn, m, u, ++done, list.length, options);
        await recordHistory(conn, { ...entry, executionMs: performance.now() - start, success: true, stepsDone: done });
        await conn.exec('COMMIT');
      } catch (error) {
        await conn.exec('ROLLBACK').catch(() => undefined);
        failedAt = done;
        done = 0;
        throw error;
      }
    } else {
      // Mixed: a progress row first, transactional groups in transactions, the rest alone.
      const rank = await recordHistory(conn, { ...entry, executionMs: 0, success: false, stepsDone: 0, error: 'in progress' });
      await conn.exec(timeouts);
      try {
        for (const u of list) {
          if (u.transactional) {
            await conn.exec('BEGIN');
            try {
              await runUnit(conn, m, u, done + 1, list.length, options);
              await updateProgress(conn, rank, done + 1, false, performance.now() - start, 'in progress');
              await conn.exec('COMMIT');
            } catch (error) {
              await conn.exec('ROLLBACK').catch(() => undefined);
              throw error;
            }
          } else {
            try {
              await runUnit(conn, m, u, done + 1, list.length, options);
            } catch (error) {
              // A failed concurrent build leaves an INVALID index behind: say so, not just why it failed.
              await checkIndexValid(conn, u.statements[0], error);
              throw error;
            }
            await checkIndexValid(conn, u.statements[0]);
            await updateProgress(conn, rank, done + 1, false, performance.now() - start, 'in progress');
          }
          done++;
        }
        await updateProgress(conn, rank, done, true, performance.now() - start);
      } catch (error) {
        await updateProgress(conn, rank, done, false, performance.now() - start, (error as Error).message).catch(() => undefined);
        throw error;
      } finally {
        await conn.exec('RESET lock_timeout; RESET statement_timeout;').catch(() => undefined);
      }
    }
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof HonuaError && error.code === 'invalid-index') {
      throw error; // its own message and hint say what to do
    }
    if (allTransactional) await recordHistory(conn, { ...entry, executionMs: performance.now() - start, success: false, stepsDone: 0, error: message }).catch(() => undefined);
    const step = allTransactional ? failedAt : done + 1;
    throw new HonuaError('migration-failed', `migration ${m.name} (${direction}) failed at step ${step} of ${list.length}: ${message}`, {
      cause: error,
      hint: allTransactional
        ? 'The migration was rolled back: the database is as it was before.'
        : done === 0
          ? 'No step of the migration was applied; fix the failing step and run again.'
          : `The first ${done} step(s) stayed applied (statements outside a transaction cannot be rolled back); fix the failing step and run again, or revert by hand.`,
      data: { migration: m.name, stepsDone: done },
    });
  }

  outcome.metadataSteps = (direction === 'up' ? m.up : m.down).filter((s): s is MigrationStep & { type: 'metadata' } => s.type === 'metadata');
  const validations = direction === 'up' ? m.postUp : m.postDown;
  for (const check of validations) {
    if (check.type === 'ogc') {
      outcome.checks.push({ name: check.name, passed: true, detail: `${check.name}: checked by the deployment against the running server` });
      continue;
    }
    const r = await runCheck(conn, check);
    outcome.checks.push({ name: r.name, passed: r.passed, detail: explain(r) });
    options.onProgress?.({ type: 'check', migration: m.name, name: r.name, passed: r.passed, detail: explain(r) });
    if (!r.passed) {
      // The failure is part of the history, whatever happens next.
      await recordHistory(conn, { ...entry, executionMs: performance.now() - start, success: false, stepsDone: list.length, error: `${direction === 'up' ? 'post-up' : 'post-down'} validation failed: ${explain(r)}` });
      if (direction === 'up' && m.rollback.automatic && m.down.length > 0 && m.rollback.triggers.includes('validation-failure')) {
        await applyMigration(conn, m, 'down', { ...options, onProgress: options.onProgress });
        outcome.revertedAfterFailedValidation = true;
      }
      throw new HonuaError('validation-failed', `migration ${m.name}: validation failed: ${explain(r)}${outcome.revertedAfterFailedValidation ? ' (reverted automatically)' : ''}`, {
        data: { migration: m.name, check: r },
      });
    }
  }
  outcome.durationMs = performance.now() - start;
  options.onProgress?.({ type: 'migration-done', migration: m.name, direction, durationMs: outcome.durationMs });
  return outcome;
}

async function runUnit(conn: Queryable, m: Migration, u: Unit, index: number, total: number, options: RunOptions): Promise<void> {
  const t = performance.now();
  for (const s of u.statements) await conn.exec(s.sql);
  options.onProgress?.({ type: 'step', migration: m.name, step: u.step.name, index, total, durationMs: performance.now() - t, transactional: u.transactional });
}

/** After CREATE INDEX CONCURRENTLY: a failed build leaves an INVALID index that IF NOT EXISTS would silently skip next time. */
async function checkIndexValid(conn: Queryable, s: Statement | undefined, cause?: unknown): Promise<void> {
  if (!s || s.type !== 'IndexStmt') return;
  const name = (s.node as { idxname?: string }).idxname;
  if (!name) return;
  const r = await conn.query<{ valid: boolean }>('SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1', [name]);
  if (r.rows[0] && !r.rows[0].valid) {
    const why = cause ? `: ${(cause as Error).message}` : '';
    throw new HonuaError('invalid-index', `index ${name} was left INVALID by a failed concurrent build${why}`, { cause, hint: `Drop it (DROP INDEX CONCURRENTLY ${name}), fix the cause, and run the migration again.` });
  }
}

export type { HistoryRow };
