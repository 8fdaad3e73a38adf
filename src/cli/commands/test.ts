import type { Command } from 'commander';
import { addDeployOptions, type DeployCommandOptions, deployRuntime } from '../deploy-options.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { renderVerification } from '../render/deployment.js';

interface TestOptions extends DeployCommandOptions {
  environment: string;
  layer?: string;
}

export function registerTest(program: Command, io: Io, done: CommandResult): void {
  addDeployOptions(program.command('test').description("Run the health checks of what is deployed in an environment (the working tree's when nothing is)"))
    .option('-e, --environment <env>', 'the environment', 'development')
    .option('--layer <layer>', 'only this layer (name or service::name)')
    .addHelpText('after', '\nExit codes: 0 every check passed, 1 a check failed.')
    .action(async (opts: TestOptions) => {
      const result = await withEngine(io, deployRuntime(opts, opts.environment), (engine) =>
        engine.verify({ environment: opts.environment, ...(opts.layer ? { layer: opts.layer } : {}) }),
      );
      if (opts.json) writeJson(io, result);
      else {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        io.stdout.write(
          `Running the health checks of ${opts.layer ?? 'every layer'} in ${opts.environment}${result.snapshot ? ` (snapshot ${result.snapshot})` : ' (nothing deployed: the working tree)'}…\n`,
        );
        io.stdout.write(
          `${renderVerification(result, style)}\n\n${result.passed ? style.green('All checks passed!') : style.red(`${result.checks.filter((c) => !c.passed).length} check(s) failed.`)}\n`,
        );
      }
      done.code = result.passed ? EXIT.ok : EXIT.failed;
    });
}
