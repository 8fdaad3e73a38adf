import type { Command } from 'commander';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import { renderValidation } from '../render/problems.js';
import { splitList } from '../workspace.js';
import type { CommandResult } from '../program.js';

export function registerValidate(program: Command, io: Io, done: CommandResult): void {
  program
    .command('validate')
    .description('Check a config repository: schemas, references, migrations and policies, for every environment')
    .option('--repo <dir>', 'config repository (default: the current directory)')
    .option('-e, --environment <env...>', 'only these environments (repeat or separate with commas; default: all)')
    .option('--ref <ref>', 'read the repository at a git commit, branch or tag instead of the working tree')
    .option('--path <dir>', 'alias of --repo (a folder inside the repository also works)')
    .option('--strict', 'treat warnings as errors')
    .option('--json', 'print the report as JSON (schema: honua.validation/v1)')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid, 1 invalid (or warnings with --strict), 2 usage error.

Examples:
  honua validate --repo samples/honua-config
  honua validate -e production --ref origin/main
  honua validate --json | jq '.problems[] | select(.severity == "error")'`,
    )
    .action(async (opts: { repo?: string; path?: string; environment?: string[]; ref?: string; strict?: boolean; json?: boolean; color?: boolean }) => {
      const environments = splitList(opts.environment);
      const { report, texts } = await withEngine(io, { repo: opts.repo ?? opts.path ?? io.cwd }, (engine) =>
        engine.validate({ ...(environments.length > 0 ? { environments } : {}), ...(opts.ref !== undefined ? { ref: opts.ref } : {}) }),
      );
      const failed = report.errors > 0 || (Boolean(opts.strict) && report.warnings > 0);
      if (opts.json) writeJson(io, report);
      else
        io.stdout.write(`${renderValidation(report, Style.detect(io, 'stdout', program.opts().color as boolean | undefined), texts, Boolean(opts.strict))}\n`);
      done.code = failed ? EXIT.failed : EXIT.ok;
    });
}
