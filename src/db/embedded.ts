import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { HonuaError } from '../errors/index.js';
import { type Database, int8, type Queryable, type QueryResult } from './database.js';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) with PostGIS, persisted in
 * a data directory. No server, no network, no setup: the zero-setup default for the demo, first
 * runs and quick local tests. It has ONE connection: statements run one at a time, session state
 * (advisory locks, SET) is shared by every user of the same Database object, and two processes
 * must not open the same directory at once.
 */
function normalizeRows<T>(rows: unknown[]): T[] {
  for (const row of rows as Array<Record<string, unknown>>) for (const k in row) if (typeof row[k] === 'bigint') row[k] = int8(row[k]);
  return rows as T[];
}

function wrap(db: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const r = await db.query<Record<string, unknown>>(sql, [...params]);
      return { rows: normalizeRows<T>(r.rows), rowCount: r.affectedRows ?? r.rows.length, fields: r.fields.map((f) => f.name) };
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const;
  readonly description: string;
  private readonly q: Queryable;

  private constructor(
    private readonly db: PGlite,
    readonly dataDir: string,
  ) {
    this.description = `embedded database ${dataDir}`;
    this.q = wrap(db);
  }

  /** Opens (creating when missing) an embedded database with PostGIS. `seed` runs once, when it is created. */
  static async open(dataDir: string, seed?: (db: Queryable) => Promise<void>): Promise<EmbeddedDatabase> {
    const dir = path.resolve(dataDir);
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      // Build it aside and move it into place, so a crash or a second process never sees half a database.
      const building = `${dir}.building-${process.pid}-${Date.now()}`;
      await mkdir(path.dirname(dir), { recursive: true });
      const fresh = await PGlite.create({ dataDir: building, extensions: { postgis } });
      try {
        await fresh.exec('CREATE EXTENSION IF NOT EXISTS postgis');
        if (seed) await seed(wrap(fresh));
      } finally {
        await fresh.close();
      }
      if (existsSync(path.join(dir, 'PG_VERSION'))) await rm(building, { recursive: true, force: true });
      else await rename(building, dir);
    }
    const release = lockDirectory(dir);
    try {
      const db = new EmbeddedDatabase(await PGlite.create({ dataDir: dir, extensions: { postgis } }), dir);
      db.release = release;
      return db;
    } catch (cause) {
      release();
      throw new HonuaError('embedded-open-failed', `cannot open the embedded database in ${dir}: ${(cause as Error).message}`, {
        fault: 'system',
        cause,
        hint: 'Another process may have it open (the embedded database allows one at a time), or the directory is damaged: move it away to start afresh.',
      });
    }
  }

  /** Copies an embedded database's directory (it must be closed or idle). */
  static async copy(from: string, to: string): Promise<void> {
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
  }

  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
    return this.q.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.q.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(wrap(tx)));
  }

  session<T>(fn: (connection: Queryable) => Promise<T>): Promise<T> {
    return fn(this.q);
  }

  private release: () => void = () => undefined;

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.release();
    }
  }
}

/**
 * One process at a time per data directory (PGlite does not guard against a second one, and two
 * writers would corrupt it): a lock file holding the owner's pid; a lock whose process is gone
 * is taken over.
 */
function lockDirectory(dir: string): () => void {
  const file = path.join(dir, 'honua.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      let alive: boolean;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (alive) {
        throw new HonuaError('embedded-in-use', `the embedded database in ${dir} is open in process ${pid}`, {
          hint: 'The embedded database allows one process at a time: close the other (a running honua server or command), or use a PostgreSQL server.',
          data: { pid },
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw new HonuaError('embedded-in-use', `cannot lock the embedded database in ${dir}`, { fault: 'system' });
}

/** Honua's own directory for local state (embedded databases, workspaces): $HONUA_HOME or ~/.honua. */
export const honuaHome = (env: NodeJS.ProcessEnv = process.env): string => env.HONUA_HOME ?? path.join(os.homedir(), '.honua');

/** The sample city's SQL (samples/data/city.sql), found from this file in src/ or dist/src/. */
export async function sampleCitySql(): Promise<string> {
  for (let dir = path.dirname(new URL(import.meta.url).pathname); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'samples', 'data', 'city.sql');
    if (existsSync(file)) return readFile(file, 'utf8');
  }
  throw new HonuaError('sample-missing', 'samples/data/city.sql is missing from the installation', { fault: 'system' });
}

/** Opens the embedded sample city, creating it (PostGIS + samples/data/city.sql) on first use. */
export async function openSampleCity(dataDir = path.join(honuaHome(), 'embedded', 'sample-city')): Promise<EmbeddedDatabase> {
  const sql = existsSync(path.join(dataDir, 'PG_VERSION')) ? '' : await sampleCitySql();
  return EmbeddedDatabase.open(dataDir, sql ? (db) => db.exec(sql) : undefined);
}
