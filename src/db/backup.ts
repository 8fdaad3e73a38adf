import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { HonuaError } from '../errors/index.js';
import type { Database } from './database.js';
import { quoteQualified } from './quote.js';
import type { BackupManifest, RestoreResult } from './backup-format.js';

export type { BackupManifest, RestoreResult };

/**
 * Backups of an environment's database. PostgreSQL: the server's own tools, version-matched
 * (pg_dump's major version must be at least the server's), in the custom format, with a
 * manifest (id, environment, time, database, schemas, size, sha256, and every table's row count
 * so a restore can be verified). Embedded: a copy of the data directory (the database must be
 * closed). Retention keeps the newest N backups per environment.
 */

/** How to reach a PostgreSQL server with the command-line tools: libpq environment variables. */
export interface PgTarget {
  kind: 'postgres';
  env: Record<string, string>;
  description: string;
}
export interface EmbeddedTarget {
  kind: 'embedded';
  dir: string;
  description: string;
}
export type BackupTarget = PgTarget | EmbeddedTarget;

const run = promisify(execFile);

/** libpq variables from a URL or from separate settings (PGPASSWORD keeps the password off the command line). */
export function pgTarget(
  c: {
    connectionString?: string | undefined;
    host?: string | undefined;
    port?: number | undefined;
    database?: string | undefined;
    user?: string | undefined;
    password?: string | undefined;
    sslmode?: string | undefined;
  },
  description: string,
): PgTarget {
  const env: Record<string, string> = {};
  if (c.connectionString) {
    const u = new URL(c.connectionString);
    if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname);
    if (u.port) env.PGPORT = u.port;
    if (u.username) env.PGUSER = decodeURIComponent(u.username);
    if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
    const db = u.pathname.replace(/^\//, '');
    if (db) env.PGDATABASE = decodeURIComponent(db);
    const ssl = u.searchParams.get('sslmode');
    if (ssl) env.PGSSLMODE = ssl;
  }
  if (c.host) env.PGHOST = c.host;
  if (c.port) env.PGPORT = String(c.port);
  if (c.database) env.PGDATABASE = c.database;
  if (c.user) env.PGUSER = c.user;
  if (c.password) env.PGPASSWORD = c.password;
  if (c.sslmode) env.PGSSLMODE = c.sslmode;
  return { kind: 'postgres', env, description };
}

/** The pg_dump/pg_restore for a server major version: Debian's versioned directory first, then PATH. */
export async function pgTool(name: 'pg_dump' | 'pg_restore', serverMajor: number): Promise<string> {
  const candidates = [
    `/usr/lib/postgresql/${serverMajor}/bin/${name}`,
    ...[18, 17, 16, 15].filter((v) => v > serverMajor).map((v) => `/usr/lib/postgresql/${v}/bin/${name}`),
    name,
  ];
  for (const c of candidates) {
    if (c.includes('/') && !existsSync(c)) continue;
    try {
      const { stdout } = await run(c, ['--version']);
      const major = Number(/(\d+)(\.\d+)?/.exec(stdout)?.[1] ?? 0);
      if (major >= serverMajor) return c;
    } catch {
      // not installed
    }
  }
  throw new HonuaError('pg-tools-missing', `no ${name} for PostgreSQL ${serverMajor} or newer was found`, {
    fault: 'system',
    hint: `Install the client tools of PostgreSQL ${serverMajor} (Debian: apt-get install postgresql-client-${serverMajor}).`,
  });
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

async function sha256Dir(dir: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const f of entries) {
    const data = await readFile(f);
    size += data.length;
    hash.update(path.relative(dir, f)).update(data);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Exact row counts of every user table (for verifying a restore). */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'topology', 'tiger', 'tiger_data') AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  const out: Record<string, number> = {};
  for (const t of tables.rows) {
    const r = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${quoteQualified(t.name, t.schema)}`);
    out[`${t.schema}.${t.name}`] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export interface CreateBackupOptions {
  environment: string;
  /** Where backups live; a folder per environment is made inside. */
  root: string;
  /** Keep this many newest backups of the environment (default 7). */
  keep?: number;
  now?: Date;
  /** Embedded: the row counts, taken before the database was closed for the copy. */
  tables?: Record<string, number>;
}

/** Backs up a database. An embedded database must be closed for the copy: pass its counts in `tables`. */
export async function createBackup(target: BackupTarget, db: Database | undefined, options: CreateBackupOptions): Promise<BackupManifest> {
  const now = options.now ?? new Date();
  const id = `${options.environment}-backup-${stamp(now)}`;
  const dir = path.join(options.root, options.environment);
  await mkdir(dir, { recursive: true });
  let manifest: BackupManifest;
  if (target.kind === 'postgres') {
    if (!db) throw new HonuaError('internal-error', 'a PostgreSQL backup needs a connection for its statistics');
    const v = await db.query<{ v: string; n: number; schemas: string[] }>(
      `SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n,
              ARRAY(SELECT nspname::text FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1) AS schemas`,
    );
    const row = v.rows[0];
    const tool = await pgTool('pg_dump', Math.floor(Number(row?.n ?? 150000) / 10000));
    const file = path.join(dir, `${id}.dump`);
    try {
      await run(tool, ['--format=custom', '--no-owner', '--file', file], { env: { ...process.env, ...target.env }, maxBuffer: 16 * 1024 * 1024 });
    } catch (cause) {
      throw new HonuaError(
        'backup-failed',
        `pg_dump of ${target.description} failed: ${(cause as { stderr?: string }).stderr?.trim() || (cause as Error).message}`,
        { fault: 'system', cause },
      );
    }
    manifest = {
      id,
      environment: options.environment,
      createdAt: now.toISOString(),
      kind: 'pg_dump',
      database: target.description,
      serverVersion: row?.v ?? '',
      tool,
      schemas: row?.schemas ?? [],
      tables: await tableCounts(db),
      file: path.basename(file),
      size: (await stat(file)).size,
      sha256: await sha256File(file),
    };
  } else {
    const copy = path.join(dir, id);
    await cp(target.dir, copy, { recursive: true });
    const { sha256, size } = await sha256Dir(copy);
    manifest = {
      id,
      environment: options.environment,
      createdAt: now.toISOString(),
      kind: 'embedded-copy',
      database: target.description,
      serverVersion: 'PGlite',
      schemas: [],
      tables: options.tables ?? (db ? await tableCounts(db) : {}),
      file: path.basename(copy),
      size,
      sha256,
    };
  }
  await writeFile(path.join(dir, `${id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  await prune(dir, options.keep ?? 7);
  return manifest;
}

export async function listBackups(root: string, environment: string): Promise<BackupManifest[]> {
  const dir = path.join(root, environment);
  if (!existsSync(dir)) return [];
  const manifests: BackupManifest[] = [];
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.json')) continue;
    manifests.push(JSON.parse(await readFile(path.join(dir, f), 'utf8')) as BackupManifest);
  }
  return manifests.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

async function prune(dir: string, keep: number): Promise<void> {
  const all = (await readdir(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse();
  for (const f of all.slice(keep)) {
    const m = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as BackupManifest;
    await rm(path.join(dir, m.file), { recursive: true, force: true });
    await rm(path.join(dir, f), { force: true });
  }
}

/** Restores a backup over the target and verifies it (checksum before, row counts after). */
export async function restoreBackup(
  target: BackupTarget,
  root: string,
  environment: string,
  id: string,
  reopen: () => Promise<Database | undefined>,
): Promise<RestoreResult> {
  const manifest = (await listBackups(root, environment)).find((m) => m.id === id);
  if (!manifest) throw new HonuaError('backup-not-found', `no backup ${id} for ${environment}`, { hint: `honua backup list -e ${environment} shows them.` });
  const file = path.join(root, environment, manifest.file);
  const actualSum = manifest.kind === 'pg_dump' ? await sha256File(file) : (await sha256Dir(file)).sha256;
  if (actualSum !== manifest.sha256) {
    throw new HonuaError('backup-corrupt', `backup ${id} does not match its checksum; it was changed or damaged`, {
      fault: 'system',
      hint: 'Restore another backup.',
    });
  }
  if (target.kind === 'postgres') {
    if (manifest.kind !== 'pg_dump') throw new HonuaError('backup-kind-mismatch', `backup ${id} is an embedded copy; the target is a PostgreSQL server`);
    const major = Number(/^(\d+)/.exec(manifest.serverVersion)?.[1] ?? 15);
    const tool = await pgTool('pg_restore', major);
    try {
      await run(
        tool,
        ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--dbname', target.env.PGDATABASE ?? 'postgres', file],
        {
          env: { ...process.env, ...target.env },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (cause) {
      throw new HonuaError(
        'restore-failed',
        `pg_restore of ${id} failed (nothing was changed: it runs in one transaction): ${(cause as { stderr?: string }).stderr?.trim() || (cause as Error).message}`,
        { fault: 'system', cause },
      );
    }
  } else {
    await rm(target.dir, { recursive: true, force: true });
    await cp(file, target.dir, { recursive: true });
  }
  const db = await reopen();
  const mismatches: RestoreResult['mismatches'] = [];
  if (db) {
    try {
      const now = await tableCounts(db);
      for (const t of new Set([...Object.keys(manifest.tables), ...Object.keys(now)])) {
        const expected = manifest.tables[t] ?? null;
        const actual = now[t] ?? null;
        if (expected !== actual) mismatches.push({ table: t, expected, actual });
      }
    } finally {
      await db.close();
    }
  }
  return { manifest, verified: mismatches.length === 0, mismatches };
}
