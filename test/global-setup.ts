import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Before any test file: compile (CLI tests run the built `honua`, as `npm run build` makes it),
 * and make sure there is a real PostgreSQL for the database tests: HONUA_TEST_DATABASE_URL
 * when set (CI), else a private cluster started here when PostgreSQL 15 is installed — in a data
 * directory and on a free port of this run's own, removed afterwards, so two runs never meet.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  for (const bin of ['dist/src/cli/honua.js', 'dist/src/cli/honua-ai.js']) chmodSync(bin, 0o755);
  let url = process.env.HONUA_TEST_DATABASE_URL ?? '';
  let stop: (() => void) | undefined;
  if (!url && existsSync('/usr/lib/postgresql/15/bin/initdb') && existsSync('/usr/share/postgresql/15/extension/postgis.control')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'honua-test-pg-'));
    url = execFileSync('scripts/postgres.sh', ['start', dir, '0']).toString().trim();
    stop = () => {
      execFileSync('scripts/postgres.sh', ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    };
  }
  project.provide('databaseUrl', url);
  return stop;
}
