import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FlowHooks } from '../../src/cli/ai/flow-session.js';
import { run } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, when one did (a failpoint's SIGKILL). */
  signal?: string;
}

/** Runs `honua` in-process with captured output (no colors unless asked). */
export async function honua(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

const BIN = path.resolve(import.meta.dirname, '../../dist/src/cli/honua.js');

/** Runs the compiled `honua` binary as a real process. */
export async function honuaProcess(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  try {
    const r = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; signal?: string | null };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ...(e.signal ? { signal: e.signal } : {}) };
  }
}

/** Runs `honua-ai` in-process with captured output (stdin is not a terminal, so nothing can be confirmed unless --yes). */
export async function honuaAi(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; hooks?: FlowHooks } = {}): Promise<CliResult> {
  const { runAi } = await import('../../src/cli/ai-program.js');
  let stdout = '';
  let stderr = '';
  const code = await runAi(
    args,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      env: options.env ?? {},
      cwd: options.cwd ?? process.cwd(),
    },
    options.hooks ? { hooks: options.hooks } : {},
  );
  return { code, stdout, stderr };
}
