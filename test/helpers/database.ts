import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { EmbeddedDatabase, sampleCitySql } from '../../src/db/embedded.js';
import { PostgresDatabase } from '../../src/db/postgres.js';

/**
 * A database of its own for a test file: on the real PostgreSQL server when one is available
 * (CI always has one: .ci/run starts it; locally test/global-setup.ts starts one when
 * PostgreSQL 15 is installed), else on the embedded database, and the run says which.
 */
export const serverUrl = (): string | undefined => process.env.HONUA_TEST_DATABASE_URL || inject('databaseUrl') || undefined;

export interface TestDatabase {
  db: Database;
  /** The URL (real server only). */
  url?: string;
  kind: 'postgres' | 'embedded';
}

const opened: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of opened.splice(0)) await close().catch(() => undefined);
});

let noted = false;
const EMBEDDED_TEMPLATE = path.join(tmpdir(), 'honua-test-embedded-template');

/** A fresh database with PostGIS; with `sampleCity`, loaded with samples/data/city.sql. */
export async function testDatabase(options: { sampleCity?: boolean } = {}): Promise<TestDatabase> {
  const server = serverUrl();
  if (server) {
    const name = `honua_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new PostgresDatabase({ connectionString: server, max: 1 });
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = server.replace(/\/[^/]*$/, `/${name}`);
    const db = new PostgresDatabase({ connectionString: url, max: 6 });
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    if (options.sampleCity) await db.exec(await sampleCitySql());
    opened.push(async () => {
      await db.close();
      const a = new PostgresDatabase({ connectionString: server, max: 1 });
      await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.close();
    });
    return { db, url, kind: 'postgres' };
  }
  if (!noted) {
    noted = true;
    console.warn('note: database tests run on the EMBEDDED database (no PostgreSQL server: set HONUA_TEST_DATABASE_URL or install postgresql-15-postgis-3)');
  }
  return embeddedTestDatabase(options);
}

/** A fresh embedded database (PGlite + PostGIS) whether or not a server is available, for tests that must cover both. */
export async function embeddedTestDatabase(options: { sampleCity?: boolean } = {}): Promise<TestDatabase> {
  // Building an embedded database takes seconds; build a template once, copy it per test.
  const template = `${EMBEDDED_TEMPLATE}${options.sampleCity ? '-city' : ''}`;
  if (!existsSync(path.join(template, 'PG_VERSION'))) {
    const sql = options.sampleCity ? await sampleCitySql() : '';
    const db = await EmbeddedDatabase.open(template, sql ? (q) => q.exec(sql) : undefined);
    await db.close();
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'honua-test-db-'));
  await cp(template, dir, { recursive: true });
  const db = await EmbeddedDatabase.open(dir);
  opened.push(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { db, kind: 'embedded' };
}
