import { spawn } from 'node:child_process';
import { HonuaError } from '../errors/index.js';

/**
 * Runs git with arguments (never through a shell), optional stdin and extra environment, and
 * resolves with its stdout. simple-git is used for ordinary questions; plumbing that needs
 * stdin (`hash-object --stdin`, `update-index --index-info`, `commit-tree`) or a private index
 * (`GIT_INDEX_FILE`) comes through here. A non-zero exit rejects with git's own message.
 */
export interface GitExecOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 for `rev-parse --verify --quiet`). */
  okCodes?: readonly number[];
}

export interface GitExecResult {
  stdout: string;
  /** stdout as bytes (for formats that count bytes, such as `cat-file --batch`). */
  raw: Buffer;
  code: number;
}

export function gitExec(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<GitExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], {
      cwd,
      // Never prompt for credentials or an editor: a consultant's push must fail, not hang.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (cause) =>
      reject(new HonuaError('git-failed', 'could not run git', { fault: 'system', cause, hint: 'Install git and make sure it is on PATH.' })),
    );
    child.on('close', (code) => {
      const exit = code ?? 1;
      const raw = Buffer.concat(out);
      if (exit === 0 || options.okCodes?.includes(exit)) resolve({ stdout: raw.toString('utf8'), raw, code: exit });
      else
        reject(
          new HonuaError('git-failed', `git ${args[0] ?? ''} failed: ${err.trim() || `exit code ${exit}`}`, {
            fault: 'system',
            data: { args: [...args], exit },
          }),
        );
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all of stdin; the exit code tells
    child.stdin.end(options.input ?? '');
  });
}

/** stdout of a git command, trimmed. */
export const gitOut = async (cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<string> =>
  (await gitExec(cwd, args, options)).stdout.trim();

/** stdout of a git command that may fail (trimmed), or '' when it did. */
export const gitQuiet = (cwd: string, args: readonly string[]): Promise<string> => gitOut(cwd, args).catch(() => '');

/**
 * Reads blobs by id with a single `git cat-file --batch` process (asking for `<commit>:<path>`
 * would make git walk the tree from the root for every file). Missing ids are absent.
 */
export async function readBlobs(cwd: string, objects: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (objects.length === 0) return result;
  const { raw: out } = await gitExec(cwd, ['cat-file', '--batch'], { input: objects.map((o) => `${o}\n`).join('') });
  let offset = 0;
  for (const object of objects) {
    const eol = out.indexOf(0x0a, offset);
    if (eol < 0) break;
    const header = out.subarray(offset, eol).toString();
    offset = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const size = Number(header.split(' ')[2]);
    result.set(object, out.subarray(offset, offset + size).toString('utf8'));
    offset += size + 1;
  }
  return result;
}
