import type { Command } from 'commander';
import { canonicalEnvironment } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { hasDifferences } from '../../plan/index.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import { renderDiff } from '../render/diff.js';
import type { CommandResult } from '../program.js';

interface DiffOptions {
  repo?: string;
  environment?: string;
  from?: string;
  to?: string;
  fromEnv?: string;
  toEnv?: string;
  ref?: string;
  json?: boolean;
  exitCode?: boolean;
}

export function registerDiff(program: Command, io: Io, done: CommandResult): void {
  program
    .command('diff')
    .description('Semantic diff of an environment between two commits, or between two environments (the promotion view)')
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('-e, --environment <env>', 'environment to compare between commits')
    .option('--from <ref>', 'the earlier commit, branch or tag')
    .option('--to <ref>', 'the later commit (default: the working tree)')
    .option('--from-env <env>', 'promotion view: the environment whose configuration is promoted (e.g. staging)')
    .option('--to-env <env>', 'promotion view: the environment that would receive it (e.g. production)')
    .option('--ref <ref>', 'with --from-env/--to-env: compare the environments at this commit (default: the working tree)')
    .option('--json', 'print the diff as JSON (schema: honua.diff/v1)')
    .option('--exit-code', 'exit with 1 when there are differences, 0 when there are none (like git diff)')
    .addHelpText(
      'after',
      `
Examples:
  honua diff -e production --from HEAD~1            # last commit vs the working tree
  honua diff -e staging --from v1.4.0 --to main
  honua diff --from-env staging --to-env production  # what promoting staging would change in production`,
    )
    .action(async (opts: DiffOptions) => {
      const envMode = opts.fromEnv !== undefined || opts.toEnv !== undefined;
      let report;
      if (envMode) {
        if (opts.fromEnv === undefined || opts.toEnv === undefined)
          throw new UsageError('missing-option', '--from-env and --to-env go together', { hint: 'honua diff --from-env staging --to-env production' });
        if (opts.environment !== undefined || opts.from !== undefined || opts.to !== undefined) {
          throw new UsageError(
            'conflicting-options',
            '--from-env/--to-env compare environments; --environment/--from/--to compare commits. Use one or the other.',
          );
        }
        if (canonicalEnvironment(opts.fromEnv) === canonicalEnvironment(opts.toEnv))
          throw new UsageError('same-environment', `--from-env and --to-env are both ${canonicalEnvironment(opts.toEnv)}`);
        const request = { fromEnvironment: opts.fromEnv, toEnvironment: opts.toEnv, ...(opts.ref !== undefined ? { ref: opts.ref } : {}) };
        report = await withEngine(io, { repo: opts.repo ?? io.cwd }, (engine) => engine.diff(request));
      } else {
        if (opts.environment === undefined)
          throw new UsageError('missing-option', 'honua diff needs --environment with --from (commits) or --from-env with --to-env (environments)', {
            hint: 'honua diff -e production --from HEAD~1',
          });
        if (opts.from === undefined)
          throw new UsageError('missing-option', '--from <ref> is required to compare commits', { hint: 'honua diff -e production --from HEAD~1 [--to HEAD]' });
        if (opts.ref !== undefined)
          throw new UsageError('conflicting-options', '--ref is for comparing environments; to compare commits use --from and --to', {
            hint: `honua diff -e ${opts.environment} --from ${opts.from} --to ${opts.ref}`,
          });
        const request = { environment: opts.environment, from: opts.from, ...(opts.to !== undefined ? { to: opts.to } : {}) };
        report = await withEngine(io, { repo: opts.repo ?? io.cwd }, (engine) => engine.diff(request));
      }
      if (opts.json) writeJson(io, report);
      else io.stdout.write(`${renderDiff(report, Style.detect(io, 'stdout', program.opts().color as boolean | undefined))}\n`);
      done.code = opts.exitCode && hasDifferences(report) ? EXIT.failed : EXIT.ok;
    });
}
