import type { Command } from 'commander';
import type { Inspection, TableInfo } from '../../db/index.js';
import type { RuntimeOptions } from '../../runtime/index.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';

export interface DatabaseOptions {
  repo?: string;
  environment?: string;
  datasource?: string;
  databaseUrl?: string;
}

/** The runtime a database command works in: its repository, environment and database choice. */
export const databaseRuntime = (opts: DatabaseOptions, extra: Partial<RuntimeOptions> = {}): Omit<RuntimeOptions, 'cwd' | 'env'> => ({
  repo: opts.repo,
  environment: opts.environment,
  datasource: opts.datasource,
  databaseUrl: opts.databaseUrl,
  ...extra,
});

export const addDatabaseOptions = (cmd: Command): Command =>
  cmd
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('-e, --environment <env>', 'environment whose datasource to use', 'development')
    .option('--datasource <name>', 'the datasource, when the environment has several')
    .option('--database-url <url>', 'connect to this PostgreSQL URL instead');

function renderInspection(r: Inspection, style: Style): string {
  const out = [
    style.bold(`${r.database.description}`) + style.dim(` — PostgreSQL ${r.database.serverVersion}, PostGIS ${r.database.postgisVersion ?? 'not installed'}`),
  ];
  out.push(`${r.summary.tables} tables, ${r.summary.views} views, ${r.summary.geometryColumns} geometry columns`, '');
  for (const t of r.tables) {
    const rows = t.rows ?? t.estimatedRows;
    out.push(
      `${style.bold(`${t.schema}.${t.name}`)} ${style.dim(`(${t.kind}${rows !== null ? `, ${t.rows !== null ? '' : '~'}${rows} rows` : ''}${t.primaryKey.length ? `, key ${t.primaryKey.join(', ')}` : ''})`)}${t.comment ? style.dim(` — ${t.comment}`) : ''}`,
    );
    for (const g of t.geometryColumns) {
      const idx = g.spatialIndex ? style.green(`index ${g.spatialIndex}`) : t.kind === 'view' ? style.dim('view') : style.yellow('no spatial index');
      out.push(
        `  ${g.column}: ${g.kind}(${g.type}, ${g.srid}) ${idx}${g.extent ? style.dim(` extent [${g.extent.bbox.map((n) => n.toFixed(4)).join(', ')}]`) : ''}`,
      );
    }
    for (const f of t.findings) out.push(`  ${style.yellow('!')} ${f.message}`);
  }
  return out.join('\n');
}

/** One table in full: its columns (type, null, default, key, comment), geometry, indexes, keys and findings. */
function renderTable(r: Inspection, t: TableInfo, style: Style): string {
  const rows = t.rows ?? t.estimatedRows;
  const out = [
    style.bold(`${t.schema}.${t.name}`) +
      style.dim(` (${t.kind}${rows !== null ? `, ${t.rows !== null ? '' : '~'}${rows} rows` : ''}) in ${r.database.description}`),
  ];
  if (t.comment) out.push(style.dim(t.comment));
  const w = Math.max(...t.columns.map((c) => c.name.length), 6);
  const tw = Math.max(...t.columns.map((c) => c.type.length), 4);
  out.push('', `  ${'column'.padEnd(w)}  ${'type'.padEnd(tw)}  null  default / notes`);
  for (const c of t.columns) {
    const notes = `${[c.primaryKey ? 'primary key' : '', c.default ? `default ${c.default}` : ''].filter(Boolean).join('; ')}${c.comment ? `${c.primaryKey || c.default ? ' ' : ''}— ${c.comment}` : ''}`;
    out.push(`  ${c.name.padEnd(w)}  ${c.type.padEnd(tw)}  ${c.nullable ? 'yes ' : 'no  '}  ${style.dim(notes)}`);
  }
  if (t.geometryColumns.length > 0) out.push('');
  for (const g of t.geometryColumns) {
    const idx = g.spatialIndex ? style.green(`index ${g.spatialIndex}`) : t.kind === 'view' ? style.dim('view') : style.yellow('no spatial index');
    out.push(
      `  geometry ${g.column}: ${g.kind}(${g.type}, ${g.srid}), ${g.dimensions}D, ${idx}${g.extent ? style.dim(` extent [${g.extent.bbox.map((n) => n.toFixed(4)).join(', ')}]`) : ''}`,
    );
  }
  if (t.indexes.length > 0)
    out.push(
      '',
      '  indexes:',
      ...t.indexes.map((i) => `    ${i.name} ${style.dim(`${i.method} (${i.columns.join(', ')})${i.unique ? ' unique' : ''}${i.valid ? '' : ' INVALID'}`)}`),
    );
  if (t.foreignKeys.length > 0)
    out.push(
      '',
      '  foreign keys:',
      ...t.foreignKeys.map(
        (f) => `    ${f.name}: (${f.columns.join(', ')}) → ${f.references.schema}.${f.references.table}(${f.references.columns.join(', ')})`,
      ),
    );
  for (const f of t.findings) out.push(`  ${style.yellow('!')} ${f.message}`);
  return out.join('\n');
}

export function registerDb(program: Command, io: Io, done: CommandResult): void {
  const db = program.command('db').description('Look at the database behind an environment');
  addDatabaseOptions(db.command('inspect').description('Tables, columns, geometry columns (type, SRID), indexes, keys, row estimates and extents'))
    .option('--schema <schema>', 'only this schema')
    .option('--table <table>', 'one table or view (name or schema.name), with its columns, indexes and keys')
    .option('--exact', 'count rows and compute extents exactly (reads every row)')
    .option('--json', 'print as JSON (schema: honua.inspection/v1)')
    .addHelpText(
      'after',
      `
Without a config repository and without --database-url, inspects the embedded sample city.

Examples:
  honua db inspect                                    # the embedded sample city
  honua db inspect --repo samples/honua-config -e production --table parcels
  honua db inspect --database-url postgres://gis@db/city --json`,
    )
    .action(
      async (opts: {
        repo?: string;
        environment?: string;
        datasource?: string;
        databaseUrl?: string;
        schema?: string;
        table?: string;
        exact?: boolean;
        json?: boolean;
      }) => {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        const inspection = await withEngine(io, databaseRuntime(opts, { sampleDatabase: true, ...(opts.json ? { log: () => undefined } : {}) }), (engine) =>
          engine.inspect({
            ...(opts.schema ? { schema: opts.schema } : {}),
            ...(opts.table !== undefined ? { table: opts.table } : {}),
            exact: opts.exact === true,
          }),
        );
        const result = { inspection, table: opts.table !== undefined ? inspection.tables[0] : undefined };
        if (opts.json) writeJson(io, result.inspection);
        else io.stdout.write(`${result.table ? renderTable(result.inspection, result.table, style) : renderInspection(result.inspection, style)}\n`);
        done.code = EXIT.ok;
      },
    );
}
