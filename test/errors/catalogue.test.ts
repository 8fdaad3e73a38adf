import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodes, HonuaError, UsageError } from '../../src/errors/index.js';

/** The error catalogue: every code Honua raises, once, with its fault, exit code and HTTP status. */
const ROOT = path.resolve(import.meta.dirname, '../..');

const sources = (): Array<{ file: string; text: string }> => {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push({ file: path.relative(ROOT, p), text: readFileSync(p, 'utf8') });
    }
  };
  for (const d of ['src', 'tools', 'guardrails']) walk(path.join(ROOT, d));
  return out;
};

/** The table docs/errors.md shows, from the catalogue. */
const docsTable = (): string =>
  [
    '| code | fault | exit | HTTP | meaning |',
    '|---|---|---|---|---|',
    ...errorCodes()
      .sort()
      .map((code) => {
        const info = ERROR_CODES[code];
        return `| \`${code}\` | ${info.fault} | ${info.exit} | ${info.http} | ${info.summary} |`;
      }),
  ].join('\n');

describe('the error catalogue', () => {
  it('gives every code a fault, an exit code and an HTTP status that agree with each other', () => {
    for (const code of errorCodes()) {
      const info = ERROR_CODES[code];
      expect(info.summary, code).toMatch(/^\S.{5,}\.$/);
      expect([1, 2, 3], code).toContain(info.exit);
      // A usage error (exit 2) is always the person's; only a system fault is a 5xx, and a system
      // fault is a 5xx or a conflict (409: what was read changed, another process took over).
      if (info.exit === 2) expect(info.fault, code).toBe('user');
      if (info.fault === 'system') expect([409, 500, 502, 503], code).toContain(info.http);
      else expect(info.http, code).toBeLessThan(500);
    }
  });

  it('is what errors report: their exit code and HTTP status come from the table, whoever throws them', () => {
    for (const code of errorCodes()) {
      const error = new HonuaError(code, 'x');
      expect(error.exitCode).toBe(ERROR_CODES[code].exit);
      expect(error.httpStatus).toBe(ERROR_CODES[code].http);
      expect(error.fault).toBe(ERROR_CODES[code].fault);
      expect(error.toJSON()).toMatchObject({ code, fault: ERROR_CODES[code].fault });
    }
    expect(new UsageError('unknown-environment', 'x').exitCode).toBe(2);
    // A thrower that knows better may name the fault; the code stays the code.
    expect(new HonuaError('unknown-table', 'x', { fault: 'model' }).fault).toBe('model');
  });

  it('has no dead codes: each is raised somewhere in the code', () => {
    const all = sources()
      .filter((s) => !s.file.endsWith('errors/catalogue.ts'))
      .map((s) => s.text)
      .join('\n');
    expect(errorCodes().filter((code) => !all.includes(`'${code}'`))).toEqual([]);
  });

  it('leaves no plain Error thrown in the code (every failure has a code)', () => {
    const plain = sources().flatMap((s) =>
      s.text.split('\n').flatMap((line, i) => (/throw new (Type|Range)?Error\(/.test(line) ? [`${s.file}:${i + 1}`] : [])),
    );
    expect(plain).toEqual([]);
  });

  it('is listed in docs/errors.md (UPDATE_FIXTURES=1 rewrites the table)', () => {
    const file = path.join(ROOT, 'docs/errors.md');
    const text = readFileSync(file, 'utf8');
    const [before, rest] = text.split('<!-- error-table:start -->');
    const after = rest?.split('<!-- error-table:end -->')[1];
    expect(after, 'docs/errors.md has the table markers').toBeDefined();
    const table = `<!-- error-table:start -->\n${docsTable()}\n<!-- error-table:end -->`;
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, `${before}${table}${after}`);
    expect(readFileSync(file, 'utf8')).toContain(table);
  });
});
