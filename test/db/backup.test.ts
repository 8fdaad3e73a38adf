import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createBackup, listBackups, pgTarget, restoreBackup } from '../../src/db/backup.js';
import { PostgresDatabase } from '../../src/db/postgres.js';
import { honua } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { tempDir } from '../helpers/repo.js';

const dump = (url: string): string =>
  execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--no-owner', url], { maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .replace(/^\\(un)?restrict .*$/gm, '');

describe('backups', () => {
  it('backup, a destructive change, restore: schema and data identical to before', async (ctx) => {
    const { db, url, kind } = await testDatabase({ sampleCity: true });
    if (kind !== 'postgres' || !url) return ctx.skip('pg_dump and pg_restore need a PostgreSQL server');
    const root = await tempDir();
    const before = dump(url);
    const target = pgTarget({ connectionString: url }, 'test database');
    const manifest = await createBackup(target, db, { environment: 'staging', root, keep: 2 });
    expect(manifest).toMatchObject({
      environment: 'staging',
      kind: 'pg_dump',
      tables: expect.objectContaining({ 'public.parcels': 300, 'public.bike_lanes': 42 }),
    });
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);

    await db.exec(
      "DROP TABLE street_trees; DELETE FROM parcels WHERE parcel_id % 2 = 0; ALTER TABLE zoning DROP COLUMN max_height_ft; UPDATE bike_lanes SET name = 'x'",
    );
    expect(dump(url)).not.toBe(before);

    const result = await restoreBackup(target, root, 'staging', manifest.id, async () => new PostgresDatabase({ connectionString: url, max: 1 }));
    expect(result).toMatchObject({ verified: true, mismatches: [] });
    expect(dump(url)).toBe(before);
  });

  it('keeps the newest backups, refuses a damaged one, and lists them through the CLI', async (ctx) => {
    const { db, url, kind } = await testDatabase();
    if (kind !== 'postgres' || !url) return ctx.skip('pg_dump and pg_restore need a PostgreSQL server');
    const root = await tempDir();
    const target = pgTarget({ connectionString: url }, 'test database');
    for (let i = 0; i < 3; i++) await createBackup(target, db, { environment: 'production', root, keep: 2, now: new Date(Date.UTC(2026, 0, 1 + i)) });
    const list = await listBackups(root, 'production');
    expect(list.map((m) => m.id)).toEqual(['production-backup-20260103-000000', 'production-backup-20260102-000000']);
    execFileSync('sh', ['-c', `echo x >> ${root}/production/${list[0]!.file}`]);
    await expect(restoreBackup(target, root, 'production', list[0]!.id, async () => undefined)).rejects.toMatchObject({ code: 'backup-corrupt' });
    const cli = await honua(['backup', 'list', '--database-url', url, '-e', 'prod', '--dir', root]);
    expect(cli.stdout).toContain('production-backup-20260102-000000');
  });
});
