import type { Command } from 'commander';
import { parseDuration } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { addDeployOptions, type DeployCommandOptions, deployRuntime } from '../deploy-options.js';
import { withEngine } from '../engine.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';
import { renderStatus } from '../render/deployment.js';

interface StatusOptions extends DeployCommandOptions {
  interval?: string;
  once?: boolean;
  count?: string;
}

export function registerStatus(program: Command, io: Io, done: CommandResult): void {
  addDeployOptions(
    program
      .command('status')
      .description('What each environment runs: the deployed commit, sync, health, the last deployment, quarantined commits, DORA figures'),
  )
    .argument('[environment]', 'one environment (default: all)')
    .addHelpText('after', '\nWith --json: an array of honua.environment-status/v1 documents. Exit code 0, or 1 when an environment is Unhealthy or Degraded.')
    .action(async (environment: string | undefined, opts: StatusOptions) => {
      const list = await withEngine(io, deployRuntime(opts, environment), (engine) => engine.status(environment !== undefined ? { environment } : {}));
      if (opts.json) writeJson(io, list);
      else {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        io.stdout.write(
          list.length === 0
            ? 'No environments: nothing in the repository, nothing in the state store.\n'
            : `${list.map((s) => renderStatus(s, style)).join('\n')}\n`,
        );
      }
      done.code = list.some((s) => s.health === 'Unhealthy' || s.health === 'Degraded') ? EXIT.failed : EXIT.ok;
    });

  addDeployOptions(program.command('watch').description('A live view of the environments: redraws their status as deployments move (Ctrl-C to stop)'))
    .argument('[environment]', 'one environment (default: all)')
    .option('--interval <duration>', 'how often to look (default 2s)', '2s')
    .option('--once', 'draw once and stop')
    .option('--count <n>', 'stop after this many looks')
    .action(async (environment: string | undefined, opts: StatusOptions) => {
      const interval = parseDuration(opts.interval ?? '2s');
      if (interval === undefined || interval < 200) throw new UsageError('bad-duration', `--interval "${opts.interval}" is not a duration of at least 200 ms`);
      const count = opts.once ? 1 : opts.count !== undefined ? Number(opts.count) : Infinity;
      if (!(count >= 1)) throw new UsageError('bad-number', `--count "${opts.count}" is not a positive number`);
      const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
      const tty = Boolean(io.stdout.isTTY);
      let last = '';
      await withEngine(io, deployRuntime(opts, environment), async (engine) => {
        for (let i = 0; i < count; i++) {
          const list = await engine.status(environment !== undefined ? { environment } : {});
          if (opts.json) {
            const line = JSON.stringify(list);
            if (line !== last) io.stdout.write(`${line}\n`);
            last = line;
          } else {
            const frame = list.map((s) => renderStatus(s, style)).join('\n');
            // On a terminal the view is redrawn in place; in a pipe a frame is written only when it changes.
            if (tty)
              io.stdout.write(
                `\u001b[H\u001b[2J${frame}\n${style.dim(`updated ${new Date().toISOString().slice(11, 19)} UTC · every ${opts.interval} · Ctrl-C to stop`)}\n`,
              );
            else if (frame !== last) io.stdout.write(`${frame}\n`);
            last = frame;
          }
          if (i + 1 < count) await new Promise((r) => setTimeout(r, interval));
        }
      });
      done.code = EXIT.ok;
    });
}
