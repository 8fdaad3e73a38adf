import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    evalsDatabaseUrl: string;
  }
}

/**
 * The PostgreSQL the scenarios create their databases on: HONUA_EVALS_DATABASE_URL or
 * HONUA_TEST_DATABASE_URL (CI), else a private cluster started here when PostgreSQL 15 with
 * PostGIS is installed (as the tests do), removed afterwards.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  let url = process.env.HONUA_EVALS_DATABASE_URL || process.env.HONUA_TEST_DATABASE_URL || '';
  let stop: (() => void) | undefined;
  if (!url && existsSync('/usr/lib/postgresql/15/bin/initdb') && existsSync('/usr/share/postgresql/15/extension/postgis.control')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'honua-evals-pg-'));
    url = execFileSync('scripts/postgres.sh', ['start', dir, '0']).toString().trim();
    stop = () => {
      execFileSync('scripts/postgres.sh', ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    };
  }
  if (!url) throw new Error('the evals need PostgreSQL 15 with PostGIS: set HONUA_EVALS_DATABASE_URL, or install postgresql-15-postgis-3');
  project.provide('evalsDatabaseUrl', url);
  return stop;
}
