import path from 'node:path';
import type { Command } from 'commander';
import { createBackup, listBackups, restoreBackup, tableCounts } from '../../db/backup.js';
import { honuaHome } from '../../db/embedded.js';
import { canonicalEnvironment } from '../../config/environment.js';
import { backupTarget, openDatabase } from '../database.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { addDatabaseOptions } from './db.js';

interface BackupOptions {
  repo?: string;
  environment: string;
  datasource?: string;
  databaseUrl?: string;
  dir?: string;
  keep?: string;
  json?: boolean;
}

export function registerBackup(program: Command, io: Io, done: CommandResult): void {
  const backup = program.command('backup').description('Back up and restore an environment\'s database');
  const root = (o: BackupOptions) => path.resolve(io.cwd, o.dir ?? path.join(honuaHome(io.env), 'backups'));
  const withDir = (c: Command) => addDatabaseOptions(c).option('--dir <dir>', 'where backups are kept (default: $HONUA_HOME/backups)').option('--json', 'print as JSON');
  const style = () => Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
  const size = (n: number) => (n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`);

  withDir(backup.command('create').description('pg_dump (custom format) with a manifest; embedded: a copy of the data directory'))
    .option('--keep <n>', 'keep the newest N backups of the environment', '7')
    .action(async (o: BackupOptions) => {
      const target = await backupTarget(o, io.cwd, io.env);
      const env = canonicalEnvironment(o.environment);
      const db = await openDatabase(o, io.cwd, io.env);
      let manifest;
      try {
        const options = { environment: env, root: root(o), keep: Number(o.keep ?? 7) };
        if (target.kind === 'postgres') manifest = await createBackup(target, db, options);
        else {
          const tables = await tableCounts(db);
          await db.close();
          manifest = await createBackup(target, undefined, { ...options, tables });
        }
      } finally {
        await db.close().catch(() => undefined);
      }
      if (o.json) writeJson(io, manifest);
      else io.stdout.write(`${style().green('✓')} Backup created: ${style().bold(manifest.id)} (${size(manifest.size)}, ${Object.keys(manifest.tables).length} tables) in ${root(o)}\n`);
      done.code = EXIT.ok;
    });

  withDir(backup.command('list').description('Backups of the environment, newest first')).action(async (o: BackupOptions) => {
    const list = await listBackups(root(o), canonicalEnvironment(o.environment));
    if (o.json) writeJson(io, list);
    else if (list.length === 0) io.stdout.write(`No backups of ${canonicalEnvironment(o.environment)} in ${root(o)}\n`);
    else for (const m of list) io.stdout.write(`${m.id}  ${m.createdAt}  ${m.kind}  ${size(m.size)}  ${m.database}\n`);
    done.code = EXIT.ok;
  });

  withDir(backup.command('restore').description('Restore a backup over the environment\'s database, then verify it'))
    .argument('<id>', 'the backup id (honua backup list)')
    .action(async (id: string, o: BackupOptions) => {
      const target = await backupTarget(o, io.cwd, io.env);
      const result = await restoreBackup(target, root(o), canonicalEnvironment(o.environment), id, () => openDatabase(o, io.cwd, io.env));
      if (o.json) writeJson(io, result);
      else if (result.verified) io.stdout.write(`${style().green('✓')} Restored ${id}; verified: every table has the rows it had at backup time\n`);
      else io.stdout.write(`${style().red('✗')} Restored ${id}, but it does not match the backup:\n${result.mismatches.map((x) => `  ${x.table}: ${x.expected ?? 'absent'} rows in the backup, ${x.actual ?? 'absent'} now`).join('\n')}\n`);
      done.code = result.verified ? EXIT.ok : EXIT.failed;
    });
}
