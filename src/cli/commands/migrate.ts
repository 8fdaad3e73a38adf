import type { Command } from 'commander';
import { parseDuration } from '../../config/index.js';
import type { LintFinding } from '../../db/index.js';
import { UsageError } from '../../errors/index.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { addDatabaseOptions, databaseRuntime } from './db.js';
import { migrationProgress } from '../render/migration-progress.js';

interface MigrateOptions {
  repo?: string;
  environment: string;
  datasource?: string;
  databaseUrl?: string;
  to?: string;
  json?: boolean;
  wait?: string;
  deployment?: string;
}

const waitMs = (text: string | undefined): number => {
  if (text === undefined) return 0;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError('bad-duration', `--wait "${text}" is not a duration`, { hint: 'e.g. --wait 30s or --wait 5m' });
  return ms;
};

function renderFindings(findings: LintFinding[], style: Style): string {
  return findings
    .map(
      (f) =>
        `${f.file ?? f.migration}${f.line ? `:${f.line}:${f.column}` : ''} ${f.severity === 'error' ? style.red('error') : style.yellow('warning')}${style.dim(`[${f.code}]`)} ${f.migration} / ${f.step}: ${f.message}\n  ${style.cyan('hint')}: ${f.hint}`,
    )
    .join('\n');
}

export function registerMigrate(program: Command, io: Io, done: CommandResult): void {
  const migrate = program.command('migrate').description('PostGIS migrations: status, plan, up, down, lint');
  const style = () => Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
  const run = <T>(opts: MigrateOptions, fn: Parameters<typeof withEngine<T>>[2]): Promise<T> => withEngine(io, databaseRuntime(opts), fn);

  addDatabaseOptions(migrate.command('status').description('Which migrations are applied, pending, failed, or changed since applied (drift)'))
    .option('--json', 'print as JSON')
    .action(async (opts: MigrateOptions) => {
      const status = await run(opts, (engine) => engine.migrationStatus({ environment: opts.environment }));
      if (opts.json) writeJson(io, status);
      else {
        const s = style();
        const mark = { applied: s.green('applied'), pending: s.yellow('pending'), drift: s.red('DRIFT'), failed: s.red('failed') };
        for (const m of status.migrations)
          io.stdout.write(
            `${mark[m.state].padEnd(s.color ? 17 : 8)} ${m.name}${m.appliedAt ? s.dim(` (${m.appliedAt}${m.appliedBy ? ` by ${m.appliedBy}` : ''})`) : ''}${m.error ? s.red(` — ${m.error}`) : ''}\n`,
          );
        for (const u of status.unknown) io.stdout.write(`${s.yellow('unknown')}  ${u.name} ${s.dim('(applied, but no longer in the repository)')}\n`);
      }
      done.code = status.migrations.some((m) => m.state === 'drift' || m.state === 'failed') ? EXIT.failed : EXIT.ok;
    });

  addDatabaseOptions(migrate.command('plan').description('The migrations `up` would apply, in order, with their lint findings'))
    .option('--to <id>', 'up to and including this migration')
    .option('--json', 'print as JSON')
    .action(async (opts: MigrateOptions) => {
      const { pending, findings } = await run(opts, (engine) =>
        engine.migrationPlan({ environment: opts.environment, ...(opts.to !== undefined ? { to: opts.to } : {}) }),
      );
      if (opts.json) writeJson(io, { pending, findings });
      else {
        const s = style();
        if (pending.length === 0) io.stdout.write('Nothing to apply.\n');
        pending.forEach((m, i) =>
          io.stdout.write(`${i + 1}. ${s.bold(m.name)} — ${m.description}\n${m.steps.map((st, j) => `     Step ${j + 1}: ${st}`).join('\n')}\n`),
        );
        if (findings.length > 0) io.stdout.write(`\n${renderFindings(findings, s)}\n`);
      }
      done.code = EXIT.ok;
    });

  for (const direction of ['up', 'down'] as const) {
    addDatabaseOptions(
      migrate
        .command(direction)
        .description(
          direction === 'up' ? 'Apply pending migrations (all, or up to --to)' : 'Revert the last applied migration (or down to, not including, --to)',
        ),
    )
      .option('--to <id>', direction === 'up' ? 'apply up to and including this migration' : 'revert down to, but not including, this migration')
      .option('--wait <duration>', 'wait this long for another runner to finish (default: fail at once)')
      .option('--deployment <id>', 'record this deployment id in the history')
      .option('--json', 'print the outcome as JSON')
      .action(async (opts: MigrateOptions) => {
        const s = Style.detect(io, 'stderr', program.opts().color as boolean | undefined);
        const request = {
          direction,
          environment: opts.environment,
          waitMs: waitMs(opts.wait),
          ...(opts.to !== undefined ? { to: opts.to } : {}),
          ...(opts.deployment !== undefined ? { deploymentId: opts.deployment } : {}),
        };
        const outcomes = await run(opts, (engine) =>
          engine.migrate(request, { onProgress: opts.json ? () => undefined : migrationProgress((t) => void io.stderr.write(t), s) }),
        );
        if (opts.json) writeJson(io, { direction, migrations: outcomes });
        else if (outcomes.length === 0) io.stdout.write(direction === 'up' ? 'Nothing to apply: every migration is applied.\n' : 'Nothing to revert.\n');
        else {
          io.stdout.write(`${direction === 'up' ? 'Applied' : 'Reverted'} ${outcomes.map((o) => o.name).join(', ')}\n`);
          const meta = outcomes.flatMap((o) => o.metadataSteps.map((m) => `${o.name}: ${m.action} ${m.resource ?? m.path}`));
          if (meta.length > 0) io.stdout.write(`Metadata steps for the deployment to apply:\n${meta.map((m) => `  - ${m}`).join('\n')}\n`);
        }
        done.code = EXIT.ok;
      });
  }

  migrate
    .command('lint')
    .description('Check migrations for risky SQL: drops, renames, rewrites, locks, SRID changes, missing spatial indexes, ...')
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('-e, --environment <env>', 'environment whose migrations to lint', 'production')
    .option('--json', 'print findings as JSON')
    .action(async (opts: MigrateOptions) => {
      const { migrations, findings } = await run(opts, (engine) => engine.lintMigrations({ environment: opts.environment }));
      if (opts.json) writeJson(io, { findings });
      else
        io.stdout.write(
          findings.length === 0
            ? `${style().green('✓')} ${migrations} migrations, no findings\n`
            : `${renderFindings(findings, style())}\n\n${findings.length} finding(s) in ${migrations} migrations\n`,
        );
      done.code = findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
    });
}
