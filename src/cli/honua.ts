#!/usr/bin/env node
/**
 * The `honua` executable. It turns on Node's on-disk compile cache first (module bytecode is
 * reused across runs, which cuts start-up time noticeably for a CLI), then loads the program.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { run } = await import('./program.js');
const { processIo } = await import('./io.js');
// A reader that stops early (honua validate | head) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
process.exitCode = await run(process.argv.slice(2), processIo());
