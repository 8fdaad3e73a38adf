import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { HonuaError } from '../errors/index.js';
import { type Database, int8, type Queryable, type QueryResult } from './database.js';
import { prebuiltSampleCity, sampleCitySql } from './sample-city.js';

export { sampleCitySql };

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

  /**
   * Opens (creating when missing) an embedded database with PostGIS. When it is created, its
   * data comes from `seed.archive` (a data-directory archive, loaded in a second or two) or
   * `seed.run` (run once on a fresh database), or neither. A database is built in place under a
   * marker file, with the directory locked, and opened once: a build that was interrupted leaves
   * the marker, and the next open starts it again rather than use half a database.
   */
  static async open(
    dataDir: string,
    seed?: EmbeddedSeed | ((db: Queryable) => Promise<void>),
    options: { log?: (line: string) => void } = {},
  ): Promise<EmbeddedDatabase> {
    const dir = path.resolve(dataDir);
    const how: EmbeddedSeed = typeof seed === 'function' ? { run: seed } : (seed ?? {});
    await mkdir(dir, { recursive: true });
    const release = lockDirectory(dir);
    const marker = path.join(dir, BUILDING);
    try {
      const building = !existsSync(path.join(dir, 'PG_VERSION')) || existsSync(marker);
      if (building) {
        for (const entry of await readdir(dir)) if (entry !== LOCK) await rm(path.join(dir, entry), { recursive: true, force: true });
        writeFileSync(marker, String(process.pid));
        options.log?.(
          how.archive
            ? `First run: unpacking the prebuilt embedded database into ${dir} (a few seconds, once).`
            : `First run: building the embedded database in ${dir} (PGlite + PostGIS${how.run ? ' + data' : ''}; about 10 s, once).`,
        );
      }
      const pg = await PGlite.create({
        dataDir: dir,
        extensions: { postgis },
        ...(building && how.archive ? { loadDataDir: new Blob([await readFile(how.archive)]) } : {}),
      });
      if (building) {
        try {
          if (!how.archive) {
            await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');
            if (how.run) await how.run(wrap(pg));
          }
        } catch (error) {
          await pg.close().catch(() => undefined);
          throw error;
        }
        rmSync(marker, { force: true });
      }
      const db = new EmbeddedDatabase(pg, dir);
      db.release = release;
      return db;
    } catch (cause) {
      release();
      if (cause instanceof HonuaError) throw cause;
      throw new HonuaError('embedded-open-failed', `cannot open the embedded database in ${dir}: ${(cause as Error).message}`, {
        fault: 'system',
        cause,
        hint: 'The directory may be damaged: move it away to start afresh.',
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
const LOCK = 'honua.lock';
/** Present while a database is being built in its directory. */
const BUILDING = 'honua.building';

function lockDirectory(dir: string): () => void {
  const file = path.join(dir, LOCK);
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

/** How a new embedded database gets its data. */
export interface EmbeddedSeed {
  /** A data-directory archive (PGlite's dumpDataDir) to start from. */
  archive?: string;
  /** Run once on a fresh database (after CREATE EXTENSION postgis). */
  run?: (db: Queryable) => Promise<void>;
}

/** The sample city's seed: the installation's prebuilt archive when it has a matching one, else its SQL. */
export async function sampleCitySeed(): Promise<EmbeddedSeed> {
  const archive = await prebuiltSampleCity();
  if (archive) return { archive };
  const sql = await sampleCitySql();
  return { run: (db) => db.exec(sql) };
}

/** Opens the embedded sample city, creating it (PostGIS + samples/data/city.sql) on first use. */
export async function openSampleCity(dataDir: string, options: { log?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  return EmbeddedDatabase.open(dataDir, needsBuild(dataDir) ? await sampleCitySeed() : undefined, options);
}

/** Whether opening `dataDir` would build the database (it is missing or was left half-built). */
export const needsBuild = (dataDir: string): boolean => !existsSync(path.join(dataDir, 'PG_VERSION')) || existsSync(path.join(dataDir, BUILDING));
