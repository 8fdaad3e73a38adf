import type { Command } from 'commander';
import { type Engine, type FileValidation, requireRepoDir } from '../../engine/index.js';
import { UsageError, HonuaError } from '../../errors/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { renderProblems } from '../render/problems.js';
import { splitList } from '../workspace.js';
import { addContextOptions, engineFor, type SessionFlags } from './session-options.js';

/**
 * `honua-ai generate layer|migration`: the consultant's generators as deterministic commands, no
 * model involved. They print the files (or write them with --write), say what they chose and
 * why, and validate the result against the repository: exit 1 when it does not validate.
 */
interface Shared extends SessionFlags {
  write?: boolean;
  force?: boolean;
  json?: boolean;
  environments?: string[];
}

async function emit(
  io: Io,
  engine: Engine,
  files: Array<{ path: string; content: string }>,
  notes: string[],
  validation: FileValidation,
  opts: Shared,
  extra: Record<string, unknown>,
  done: CommandResult,
  noColor: boolean,
): Promise<void> {
  const style = Style.detect(io, 'stderr', noColor ? false : undefined);
  const { written } = opts.write && validation.valid ? await engine.writeFiles({ files, force: opts.force === true }) : { written: [] as string[] };
  if (opts.json) {
    writeJson(io, { ...extra, files, notes, validation, written });
  } else {
    if (!opts.write) for (const f of files) io.stdout.write(`${f.content}${files.length > 1 ? '---\n' : ''}`);
    for (const n of notes) io.stderr.write(`${style.cyan('note')}: ${n}\n`);
    if (validation.problems.length > 0)
      io.stderr.write(`${renderProblems(validation.problems as never, style, new Map(files.map((f) => [f.path, f.content])))}\n`);
    if (validation.valid)
      io.stderr.write(
        `${style.green('✓')} validates against ${engine.workspace.repoDir}${validation.otherErrors > 0 ? ` (the repository has ${validation.otherErrors} other error(s))` : ''}\n`,
      );
    else io.stderr.write(`${style.red('✗')} the generated files do not validate; nothing was written\n`);
    for (const w of written) io.stderr.write(`${style.green('wrote')} ${w}\n`);
  }
  done.code = validation.valid ? EXIT.ok : EXIT.failed;
}

export function registerGenerate(program: Command, io: Io, done: CommandResult): void {
  const generate = program.command('generate').description('Generate layer and migration YAML from the database (deterministic, no model)');
  const noColor = () => program.opts().color === false;

  addContextOptions(generate.command('layer').description('A Layer for a table: fields, geometry, key, CRS list, health checks; one file per environment'))
    .requiredOption('--table <table>', 'table or view, optionally schema-qualified (public.parks)')
    .option('--service <name>', 'service that publishes the layer (default: inferred when clear)')
    .option('--environments <list>', 'environments to place it in, comma-separated (default: all)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--name <name>', 'layer name (default: from the table)')
    .option('--title <title>', 'layer title (default: from the table)')
    .option('--geometry-column <column>', 'when the table has several geometry columns')
    .option('--id-field <column>', 'for views and tables without a single-column primary key')
    .option('--srid <srid>', 'for geometry columns that do not declare one')
    .option('--write', 'write the files into the repository (default: print them)')
    .option('--force', 'with --write: overwrite existing files')
    .option('--json', 'print files, notes and validation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  honua-ai generate layer --table public.parks --service planning
  honua-ai generate layer --table street_trees --environments dev,staging --write
  honua-ai generate layer --table transit.routes --database-url postgres://gis@db.internal/city`,
    )
    .action(
      async (opts: Shared & { table: string; service?: string; name?: string; title?: string; geometryColumn?: string; idField?: string; srid?: string }) => {
        const engine = await engineFor(io, opts);
        try {
          requireRepoDir(engine.workspace);
          const srid = opts.srid === undefined ? undefined : Number(opts.srid);
          if (srid !== undefined && (!Number.isInteger(srid) || srid <= 0))
            throw new UsageError('bad-number', `--srid "${opts.srid}" is not a positive integer`);
          const g = await engine.generateLayer({
            table: opts.table,
            ...(opts.service ? { service: opts.service } : {}),
            ...(opts.environments ? { environments: splitList(opts.environments) } : {}),
            ...(opts.name ? { name: opts.name } : {}),
            ...(opts.title ? { title: opts.title } : {}),
            ...(opts.geometryColumn ? { geometryColumn: opts.geometryColumn } : {}),
            ...(opts.idField ? { idField: opts.idField } : {}),
            ...(srid ? { srid } : {}),
            createdBy: 'honua-ai generate',
          });
          if (g.mismatches.length > 0)
            throw new HonuaError('internal-error', `the generated layer does not match the table: ${g.mismatches.map((m) => m.message).join('; ')}`, {
              fault: 'system',
            });
          await emit(io, engine, g.files, g.notes, g.validation, opts, { collectionId: g.collectionId, table: g.table, service: g.service }, done, noColor());
        } finally {
          await engine.close();
        }
      },
    );

  addContextOptions(generate.command('migration').description('A migration of a common kind, with down steps, preconditions and validations'))
    .requiredOption('--kind <kind>', 'spatial-index | add-column | add-table')
    .requiredOption('--table <table>', "the table (for add-table: the new table's name)")
    .option('--column <name>', 'spatial-index: the geometry column (default: the first); add-column: the new column')
    .option('--type <sql-type>', 'add-column: SQL type, e.g. date, text, numeric(10,2), geometry(Point, 4326)')
    .option('--not-null', 'add-column: NOT NULL (needs --default)')
    .option('--default <sql>', 'add-column: a constant default')
    .option('--geometry-type <type>', 'add-table: Point, LineString, Polygon, MultiPolygon, ...', 'Geometry')
    .option('--srid <srid>', 'add-table: SRID of the geometry column', '4326')
    .option('--columns <list>', 'add-table: name:type pairs, comma-separated (e.g. "name:text,opened:date")')
    .option('--comment <text>', 'add-table: table comment')
    .option('--service <name>', 'add-table: also generate the layer for the new table in this service')
    .option('--environments <list>', 'environments the migration runs in (default: all)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--write', 'write the files into the repository (default: print them)')
    .option('--force', 'with --write: overwrite existing files')
    .option('--json', 'print files, lint findings and validation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  honua-ai generate migration --kind spatial-index --table bike_lanes
  honua-ai generate migration --kind add-column --table parks --column inspected_on --type date
  honua-ai generate migration --kind add-table --table benches --geometry-type Point --columns "material:text,installed:date" --service transportation --write`,
    )
    .action(
      async (
        opts: Shared & {
          kind: string;
          table: string;
          column?: string;
          type?: string;
          notNull?: boolean;
          default?: string;
          geometryType: string;
          srid: string;
          columns?: string;
          comment?: string;
          service?: string;
        },
      ) => {
        if (!['spatial-index', 'add-column', 'add-table'].includes(opts.kind))
          throw new UsageError('bad-kind', `--kind "${opts.kind}" is not a migration kind`, { hint: 'Use spatial-index, add-column or add-table.' });
        const srid = Number(opts.srid);
        if (!Number.isInteger(srid) || srid <= 0) throw new UsageError('bad-number', `--srid "${opts.srid}" is not a positive integer`);
        const columns = opts.columns === undefined ? undefined : parseColumns(opts.columns);
        const engine = await engineFor(io, opts);
        try {
          requireRepoDir(engine.workspace);
          const g = await engine.generateMigration({
            kind: opts.kind as 'spatial-index',
            table: opts.table,
            ...(opts.column ? { column: opts.column } : {}),
            ...(opts.type ? { type: opts.type } : {}),
            ...(opts.notNull ? { nullable: false } : {}),
            ...(opts.default !== undefined ? { default: opts.default } : {}),
            geometryType: opts.geometryType,
            srid,
            ...(columns ? { columns } : {}),
            ...(opts.comment ? { comment: opts.comment } : {}),
            ...(opts.service ? { service: opts.service } : {}),
            ...(opts.environments ? { environments: splitList(opts.environments) } : {}),
            author: 'honua-ai generate',
          });
          const files = [...g.files, ...(g.layer?.files ?? [])];
          const notes = [...g.notes, ...(g.layer?.notes ?? []), ...g.lint.map((f) => `lint ${f.severity} [${f.code}] ${f.message} — ${f.hint}`)];
          await emit(io, engine, files, notes, g.validation, opts, { migration: g.name, lint: g.lint }, done, noColor());
        } finally {
          await engine.close();
        }
      },
    );
}

function parseColumns(text: string): Array<{ name: string; type: string }> {
  // Split on commas that are not inside parentheses: "price:numeric(10,2),name:text".
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => {
    const i = p.indexOf(':');
    if (i <= 0 || i === p.length - 1)
      throw new UsageError('bad-columns', `--columns entry "${p.trim()}" is not name:type`, {
        hint: 'e.g. --columns "name:text,opened:date,price:numeric(10,2)"',
      });
    return { name: p.slice(0, i).trim(), type: p.slice(i + 1).trim() };
  });
}
