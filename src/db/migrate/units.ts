import type { Migration, MigrationStep } from '../../config/index.js';
import { HonuaError } from '../../errors/index.js';
import { isNonTransactional, parseStatements, type Statement } from '../sql/parse.js';

/**
 * A migration's steps as units of execution, decided before anything runs (pure): the SQL of
 * each step parsed (a step that does not parse stops the migration before it starts), BEGIN and
 * COMMIT refused, and the statements that cannot run in a transaction split out to run alone.
 */

export interface Unit {
  step: MigrationStep;
  statements: Statement[];
  transactional: boolean;
}

export function units(m: Migration, direction: 'up' | 'down'): Unit[] {
  const steps = direction === 'up' ? m.up : m.down;
  const out: Unit[] = [];
  for (const step of steps) {
    if (step.type !== 'sql') continue;
    let statements: Statement[];
    try {
      statements = parseStatements(step.sql);
    } catch (error) {
      throw new HonuaError('migration-sql-invalid', `migration ${m.name}, step "${step.name}": ${(error as Error).message}`, {
        cause: error,
        hint: 'Nothing of this migration was run. `honua migrate lint` shows where.',
      });
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
