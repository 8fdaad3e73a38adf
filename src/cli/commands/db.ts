import type { Command } from 'commander';
import { inspectDatabase } from '../../db/inspect.js';
import type { Inspection } from '../../db/inspection-format.js';
import { withDatabase } from '../database.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';

export const addDatabaseOptions = (cmd: Command): Command =>
  cmd
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('-e, --environment <env>', 'environment whose datasource to use', 'development')
    .option('--datasource <name>', 'the datasource, when the environment has several')
    .option('--database-url <url>', 'connect to this PostgreSQL URL instead');

function renderInspection(r: Inspection, style: Style): string {
  const out = [style.bold(`${r.database.description}`) + style.dim(` — PostgreSQL ${r.database.serverVersion}, PostGIS ${r.database.postgisVersion ?? 'not installed'}`)];
  out.push(`${r.summary.tables} tables, ${r.summary.views} views, ${r.summary.geometryColumns} geometry columns`, '');
  for (const t of r.tables) {
    const rows = t.rows ?? t.estimatedRows;
    out.push(`${style.bold(`${t.schema}.${t.name}`)} ${style.dim(`(${t.kind}${rows !== null ? `, ${t.rows !== null ? '' : '~'}${rows} rows` : ''}${t.primaryKey.length ? `, key ${t.primaryKey.join(', ')}` : ''})`)}${t.comment ? style.dim(` — ${t.comment}`) : ''}`);
    for (const g of t.geometryColumns) {
      const idx = g.spatialIndex ? style.green(`index ${g.spatialIndex}`) : t.kind === 'view' ? style.dim('view') : style.yellow('no spatial index');
      out.push(`  ${g.column}: ${g.kind}(${g.type}, ${g.srid}) ${idx}${g.extent ? style.dim(` extent [${g.extent.bbox.map((n) => n.toFixed(4)).join(', ')}]`) : ''}`);
    }
    for (const f of t.findings) out.push(`  ${style.yellow('!')} ${f.message}`);
  }
  return out.join('\n');
}

export function registerDb(program: Command, io: Io, done: CommandResult): void {
  const db = program.command('db').description('Look at the database behind an environment');
  addDatabaseOptions(db.command('inspect').description('Tables, columns, geometry columns (type, SRID), indexes, keys, row estimates and extents'))
    .option('--schema <schema>', 'only this schema')
    .option('--table <table>', 'only this table')
    .option('--exact', 'count rows and compute extents exactly (reads every row)')
    .option('--json', 'print as JSON (schema: honua.inspection/v1)')
    .addHelpText('after', `
Without a config repository and without --database-url, inspects the embedded sample city.

Examples:
  honua db inspect                                    # the embedded sample city
  honua db inspect --repo samples/honua-config -e production --table parcels
  honua db inspect --database-url postgres://gis@db/city --json`)
    .action(async (opts: { repo?: string; environment?: string; datasource?: string; databaseUrl?: string; schema?: string; table?: string; exact?: boolean; json?: boolean }) => {
      const result = await withDatabase(opts, io.cwd, io.env, (database) =>
        inspectDatabase(database, { ...(opts.schema ? { schema: opts.schema } : {}), ...(opts.table ? { table: opts.table } : {}), exactCounts: opts.exact === true, exactExtents: opts.exact === true }),
      );
      if (opts.json) writeJson(io, result);
      else io.stdout.write(`${renderInspection(result, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
      done.code = EXIT.ok;
    });
}
