import os from 'node:os';
import type { Migration, MigrationStep } from '../../config/index.js';
import { HonuaError } from '../../errors/index.js';
import { explain, preconditionCheck, runCheck } from '../checks.js';
import type { Queryable } from '../database.js';
import { quoteLiteral } from '../quote.js';
import type { Statement } from '../sql/parse.js';
import { recordHistory, updateProgress } from './history.js';
import type { MigrationOutcome } from './formats.js';
import type { RunOptions } from './run-options.js';
import { type Unit, units } from './units.js';

const defaultUser = (): string => process.env.HONUA_USER ?? os.userInfo().username;
export async function applyMigration(conn: Queryable, m: Migration, direction: 'up' | 'down', options: RunOptions): Promise<MigrationOutcome> {
  const start = performance.now();
  const appliedBy = options.appliedBy ?? defaultUser();
  const list = units(m, direction);
  const lockTimeout = m.lockTimeoutMs ?? options.lockTimeoutMs ?? 5_000;
  const statementTimeout = m.statementTimeoutMs ?? options.statementTimeoutMs ?? 600_000;
  const timeouts = `SET lock_timeout = ${quoteLiteral(`${lockTimeout}ms`)}; SET statement_timeout = ${quoteLiteral(`${statementTimeout}ms`)};`;
  const entry = {
    id: m.id,
    name: m.name,
    description: m.description,
    checksum: m.checksum,
    direction,
    environment: options.environment,
    deploymentId: options.deploymentId,
    appliedBy,
    stepsTotal: list.length,
  };
  const outcome: MigrationOutcome = { name: m.name, direction, durationMs: 0, metadataSteps: [], checks: [] };
  options.onProgress?.({ type: 'migration-start', migration: m.name, direction, steps: list.length });

  if (direction === 'up') {
    for (const [i, p] of m.preconditions.entries()) {
      const r = await runCheck(conn, preconditionCheck(p, i));
      outcome.checks.push({ name: r.name, passed: r.passed, detail: explain(r) });
      if (!r.passed) {
        await recordHistory(conn, {
          ...entry,
          executionMs: performance.now() - start,
          success: false,
          stepsDone: 0,
          error: `precondition failed: ${explain(r)}`,
        });
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
    if (allTransactional)
      await recordHistory(conn, { ...entry, executionMs: performance.now() - start, success: false, stepsDone: 0, error: message }).catch(() => undefined);
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
      await recordHistory(conn, {
        ...entry,
        executionMs: performance.now() - start,
        success: false,
        stepsDone: list.length,
        error: `${direction === 'up' ? 'post-up' : 'post-down'} validation failed: ${explain(r)}`,
      });
      if (direction === 'up' && m.rollback.automatic && m.down.length > 0 && m.rollback.triggers.includes('validation-failure')) {
        await applyMigration(conn, m, 'down', { ...options, onProgress: options.onProgress });
        outcome.revertedAfterFailedValidation = true;
      }
      throw new HonuaError(
        'validation-failed',
        `migration ${m.name}: validation failed: ${explain(r)}${outcome.revertedAfterFailedValidation ? ' (reverted automatically)' : ''}`,
        {
          data: { migration: m.name, check: r },
        },
      );
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
  const r = await conn.query<{ valid: boolean }>('SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1', [
    name,
  ]);
  if (r.rows[0] && !r.rows[0].valid) {
    const why = cause ? `: ${(cause as Error).message}` : '';
    throw new HonuaError('invalid-index', `index ${name} was left INVALID by a failed concurrent build${why}`, {
      cause,
      hint: `Drop it (DROP INDEX CONCURRENTLY ${name}), fix the cause, and run the migration again.`,
    });
  }
}
