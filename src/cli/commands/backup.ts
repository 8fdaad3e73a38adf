import path from 'node:path';
import type { Command } from 'commander';
import { canonicalEnvironment } from '../../config/index.js';
import { withEngine } from '../engine.js';
import { UsageError } from '../../errors/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { addDatabaseOptions, databaseRuntime } from './db.js';

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
  const backup = program.command('backup').description("Back up and restore an environment's database");
  const dir = (o: BackupOptions) => (o.dir !== undefined ? { dir: path.resolve(io.cwd, o.dir) } : {});
  const run = <T>(o: BackupOptions, fn: Parameters<typeof withEngine<T>>[2]): Promise<T> => withEngine(io, databaseRuntime(o), fn);
  const withDir = (c: Command) =>
    addDatabaseOptions(c).option('--dir <dir>', 'where backups are kept (default: $HONUA_HOME/backups)').option('--json', 'print as JSON');
  const style = () => Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
  const size = (n: number) => (n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`);

  withDir(backup.command('create').description('pg_dump (custom format) with a manifest; embedded: a copy of the data directory'))
    .option('--keep <n>', 'keep the newest N backups of the environment', '7')
    .action(async (o: BackupOptions) => {
      const keep = Number(o.keep ?? 7);
      if (!Number.isInteger(keep) || keep < 1) throw new UsageError('bad-number', `--keep "${o.keep}" is not a whole number of backups (1 or more)`);
      const { dir: where, ...manifest } = await run(o, (engine) => engine.backupCreate({ environment: o.environment, keep, ...dir(o) }));
      if (o.json) writeJson(io, manifest);
      else
        io.stdout.write(
          `${style().green('✓')} Backup created: ${style().bold(manifest.id)} (${size(manifest.size)}, ${Object.keys(manifest.tables).length} tables) in ${where}\n`,
        );
      done.code = EXIT.ok;
    });

  withDir(backup.command('list').description('Backups of the environment, newest first')).action(async (o: BackupOptions) => {
    const { dir: root, backups: list } = await run(o, (engine) => engine.backups({ environment: o.environment, ...dir(o) }));
    if (o.json) writeJson(io, list);
    else if (list.length === 0) io.stdout.write(`No backups of ${canonicalEnvironment(o.environment)} in ${root}\n`);
    else for (const m of list) io.stdout.write(`${m.id}  ${m.createdAt}  ${m.kind}  ${size(m.size)}  ${m.database}\n`);
    done.code = EXIT.ok;
  });

  withDir(backup.command('restore').description("Restore a backup over the environment's database, then verify it"))
    .argument('<id>', 'the backup id (honua backup list)')
    .action(async (id: string, o: BackupOptions) => {
      const result = await run(o, (engine) => engine.backupRestore({ environment: o.environment, id, ...dir(o) }));
      if (o.json) writeJson(io, result);
      else if (result.verified) io.stdout.write(`${style().green('✓')} Restored ${id}; verified: every table has the rows it had at backup time\n`);
      else
        io.stdout.write(
          `${style().red('✗')} Restored ${id}, but it does not match the backup:\n${result.mismatches.map((x) => `  ${x.table}: ${x.expected ?? 'absent'} rows in the backup, ${x.actual ?? 'absent'} now`).join('\n')}\n`,
        );
      done.code = result.verified ? EXIT.ok : EXIT.failed;
    });
}
