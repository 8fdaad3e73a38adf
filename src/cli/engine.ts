import { AdminApiClient, type Engine, remoteEngine, traceEngine } from '../engine/index.js';
import { createRuntime, type RuntimeOptions } from '../runtime/index.js';
import { OgcVerifier } from '../server/index.js';
import { debugEnabled } from './debug.js';
import type { Io } from './io.js';

/**
 * How a `honua` command reaches the Engine: a runtime from its options (repository,
 * environment, database), the engine over it, one call, and the runtime closed whatever
 * happens. A command parses its options, calls this, and renders. With HONUA_DEBUG, each engine
 * call is written to stderr with its duration.
 */
export interface EngineOptions extends Omit<RuntimeOptions, 'cwd' | 'env'> {
  /** --server URL: the deployment calls go to that server's admin API. */
  server?: string | undefined;
  /** The command may go through a server: $HONUA_SERVER applies to it. */
  remoteCapable?: boolean;
}

export async function withEngine<T>(io: Io, engineOptions: EngineOptions, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const { server: flag, remoteCapable, ...options } = engineOptions;
  const server = flag ?? (remoteCapable ? io.env.HONUA_SERVER || undefined : undefined);
  const runtime = await createRuntime({
    cwd: io.cwd,
    env: io.env,
    verifiers: [new OgcVerifier()],
    ...options,
    log: options.log ?? ((line) => void io.stderr.write(`${line}\n`)),
  });
  try {
    const local = runtime.engine();
    const engine =
      server === undefined
        ? local
        : remoteEngine(local, new AdminApiClient({ url: server, token: io.env.HONUA_TOKEN || undefined }), { strict: flag !== undefined });
    return await fn(debugEnabled(io.env) ? traceEngine(engine, (line) => void io.stderr.write(`honua: ${line}\n`)) : engine);
  } finally {
    await runtime.close();
  }
}
