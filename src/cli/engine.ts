import { type Engine, traceEngine } from '../engine/index.js';
import { createRuntime, type RuntimeOptions } from '../runtime/index.js';
import { debugEnabled } from './debug.js';
import type { Io } from './io.js';

/**
 * How a `honua` command reaches the Engine: a runtime from its options (repository,
 * environment, database), the engine over it, one call, and the runtime closed whatever
 * happens. A command parses its options, calls this, and renders. With HONUA_DEBUG, each engine
 * call is written to stderr with its duration.
 */
export async function withEngine<T>(io: Io, options: Omit<RuntimeOptions, 'cwd' | 'env'>, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const runtime = await createRuntime({ cwd: io.cwd, env: io.env, ...options, log: options.log ?? ((line) => void io.stderr.write(`${line}\n`)) });
  try {
    const engine = runtime.engine();
    return await fn(debugEnabled(io.env) ? traceEngine(engine, (line) => void io.stderr.write(`honua: ${line}\n`)) : engine);
  } finally {
    await runtime.close();
  }
}
