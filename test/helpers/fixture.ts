import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares a value with a JSON fixture file (pinning a persisted format). Set UPDATE_FIXTURES=1
 * to rewrite the fixture after an intended change, and review the diff in git.
 */
export function expectFixture(file: string, value: unknown): void {
  const full = path.resolve(import.meta.dirname, '../fixtures', file);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_FIXTURES === '1' || !existsSync(full)) {
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(full, 'utf8')));
}
