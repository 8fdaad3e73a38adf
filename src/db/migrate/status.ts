import { type Migration, buildMigrationGraph, pendingMigrations } from '../../config/index.js';
import { HonuaError } from '../../errors/index.js';
import type { Queryable } from '../database.js';
import { currentState, readHistory } from './history.js';
import type { MigrationStatus, StatusEntry } from './formats.js';

/** What the history says of the repository's migrations, and which `up` would apply: read-only. */

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

export function cut(list: Migration[], to: string | undefined, direction: 'up' | 'down'): Migration[] {
  if (to === undefined) return list;
  const i = list.findIndex((m) => m.id === to || m.name === to);
  if (i < 0) {
    if (direction === 'up') throw new HonuaError('unknown-migration', `--to ${to} is not a pending migration`, { hint: 'honua migrate status lists them.' });
    throw new HonuaError('unknown-migration', `--to ${to} is not an applied migration`, { hint: 'honua migrate status lists them.' });
  }
  return direction === 'up' ? list.slice(0, i + 1) : list.slice(0, i);
}
