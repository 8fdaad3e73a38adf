import type { Command } from 'commander';
import { UsageError } from '../../errors/index.js';
import { probeConformance } from '../../server/index.js';
import { EXIT } from '../exit-codes.js';
import { type Io, Style, writeJson } from '../io.js';
import type { CommandResult } from '../program.js';

/** `honua conformance URL`: the OGC API - Features conformance probe against any server (read-only). */
export function registerConformance(program: Command, io: Io, done: CommandResult): void {
  program
    .command('conformance')
    .description("Probe an OGC API - Features endpoint the way the official test suite's classes do (read-only)")
    .argument('<url>', 'the OGC API root, e.g. http://127.0.0.1:5555/ogc')
    .option('--max-collections <n>', 'probe at most this many collections', '20')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExit code 0 when every test passes, 1 otherwise.')
    .action(async (url: string, opts: { maxCollections: string; json?: boolean }) => {
      if (!/^https?:\/\/\S+$/i.test(url)) throw new UsageError('bad-argument', `"${url}" is not an http(s) URL`);
      const max = Number(opts.maxCollections);
      if (!Number.isInteger(max) || max < 1) throw new UsageError('bad-number', `--max-collections "${opts.maxCollections}" is not a positive whole number`);
      if (!opts.json) io.stderr.write(`Probing ${url} ...\n`);
      const results = await probeConformance(url, { maxCollections: max });
      const failed = results.filter((r) => !r.passed);
      if (opts.json) writeJson(io, { url, passed: results.length - failed.length, failed: failed.length, results });
      else {
        const style = Style.detect(io, 'stdout', program.opts().color as boolean | undefined);
        const classes = [...new Set(results.map((r) => r.testClass))];
        for (const c of classes) {
          const mine = results.filter((r) => r.testClass === c);
          const bad = mine.filter((r) => !r.passed);
          io.stdout.write(`${bad.length === 0 ? style.green('✓') : style.red('✗')} ${c}: ${mine.length - bad.length}/${mine.length}\n`);
          for (const r of bad) io.stdout.write(`    ${style.red('✗')} ${r.test}${r.detail ? ` — ${r.detail}` : ''}\n`);
        }
        io.stdout.write(`${results.length - failed.length} of ${results.length} passed\n`);
      }
      done.code = failed.length === 0 ? EXIT.ok : EXIT.failed;
    });
}
