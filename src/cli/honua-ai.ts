#!/usr/bin/env node
/** The `honua-ai` executable (see honua.ts for why the compile cache is turned on first). */
import module from 'node:module';

module.enableCompileCache?.();
const { runAi } = await import('./ai-program.js');
const { processIo } = await import('./io.js');
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
process.exitCode = await runAi(process.argv.slice(2), processIo());
// Open handles (a database pool, an HTTP server) must not keep a finished command alive.
process.exit(process.exitCode);
