/**
 * Database part of `npm run bench`: inspecting a database of 1,000 tables (target: under 1 s on
 * the real server) and applying 100 small migrations. Uses HONUA_TEST_DATABASE_URL, or starts
 * the private cluster of scripts/postgres.sh when PostgreSQL 15 is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Migration } from '../src/config/kinds/migration.js';
import { normalizeMigration, type WrittenMigration } from '../src/config/kinds/migration.js';
import { inspectDatabase } from '../src/db/inspect.js';
import { migrateUp } from '../src/db/migrate/runner.js';
import { PostgresDatabase } from '../src/db/postgres.js';

const root = path.resolve(import.meta.dirname, '../..');

export function serverUrl(): string | undefined {
  if (process.env.HONUA_TEST_DATABASE_URL) return process.env.HONUA_TEST_DATABASE_URL;
  if (!existsSync('/usr/lib/postgresql/15/bin/initdb')) return undefined;
  return execFileSync(path.join(root, 'scripts/postgres.sh'), ['start', '/tmp/honua-bench-pg', '55441']).toString().trim();
}

const migration = (i: number): Migration => {
  const id = String(i).padStart(3, '0');
  const doc: WrittenMigration = {
    apiVersion: 'honua.io/v1',
    kind: 'Migration',
    metadata: { id, description: `bench ${id}` },
    spec: {
      ...(i > 1 ? { dependencies: [String(i - 1).padStart(3, '0')] } : {}),
      up: [
        {
          type: 'sql',
          content: `CREATE TABLE m_${id} (id int PRIMARY KEY, geom geometry(Point, 4326));\nCREATE INDEX m_${id}_geom ON m_${id} USING gist (geom);`,
        },
      ],
      down: [{ type: 'sql', content: `DROP TABLE m_${id};` }],
    },
  } as WrittenMigration;
  return normalizeMigration(doc, { file: `migrations/${id}_bench.yaml` }, 1, new Map());
};

export async function benchDatabase(): Promise<void> {
  const url = serverUrl();
  if (!url) {
    console.log('\n[database] skipped: no PostgreSQL server (set HONUA_TEST_DATABASE_URL or install postgresql-15-postgis-3)');
    return;
  }
  const name = `honua_bench_${process.pid}`;
  const admin = new PostgresDatabase({ connectionString: url, max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
  const db = new PostgresDatabase({ connectionString: dbUrl, max: 4 });
  try {
    await db.exec('CREATE EXTENSION postgis');
    process.stdout.write('\n[database] creating 1,000 tables… ');
    const ddl: string[] = [];
    for (let i = 0; i < 1000; i++) {
      ddl.push(
        `CREATE TABLE t_${i} (id int PRIMARY KEY, name text, value double precision, updated timestamptz, geom geometry(${['Point', 'LineString', 'MultiPolygon'][i % 3]}, 4326));`,
      );
      if (i % 2 === 0) ddl.push(`CREATE INDEX t_${i}_geom ON t_${i} USING gist (geom);`);
      ddl.push(`COMMENT ON TABLE t_${i} IS 'bench table ${i}';`);
    }
    await db.exec(ddl.join('\n'));
    await db.exec('ANALYZE');
    console.log('done');
    const times: number[] = [];
    let tables = 0;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      const r = await inspectDatabase(db);
      times.push(performance.now() - t);
      tables = r.summary.tables;
    }
    console.log(`  inspect ${tables} tables: first ${times[0]?.toFixed(0)} ms, best of 3 ${Math.min(...times).toFixed(0)} ms (target < 1000 ms)`);
    const migrations = Array.from({ length: 100 }, (_, i) => migration(i + 1));
    const t = performance.now();
    const applied = await migrateUp(db, migrations, { appliedBy: 'bench' });
    const ms = performance.now() - t;
    console.log(
      `  apply ${applied.length} small migrations (table + GiST index each): ${ms.toFixed(0)} ms, ${(ms / applied.length).toFixed(1)} ms per migration`,
    );
  } finally {
    await db.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}
