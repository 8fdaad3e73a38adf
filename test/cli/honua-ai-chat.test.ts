import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * `honua-ai chat` as a process: Ctrl-C (SIGINT) cancels the running request and the session
 * goes on; /exit after it leaves with 0, not as if the process had been killed.
 */
const BIN = path.resolve(import.meta.dirname, '../../dist/src/cli/honua-ai.js');
let repo: string;
let dbArgs: string[] = [];

beforeAll(async () => {
  const t = await testDatabase({ sampleCity: true });
  repo = await sampleCopy();
  await gitInit(repo);
  dbArgs = t.url ? ['--database-url', t.url] : [];
}, 120_000);

it('Ctrl-C cancels the request, the session goes on, and /exit leaves with 0', async () => {
  const home = await tempDir('honua-home-');
  const child = spawn(process.execPath, [BIN, 'chat', '--yes', '--repo', repo, ...dbArgs], {
    env: { PATH: process.env.PATH ?? '', HOME: home, HONUA_HOME: home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const seen = (re: RegExp, ms = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never saw ${re}; output:\n${out}`)), ms);
      const check = () => {
        if (re.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
    });
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await seen(/you> $/m);
  child.stdin.write('add a layer for the transit routes table\n');
  await seen(/→ (generate_layer|write_proposal)/);
  child.kill('SIGINT');
  await seen(/stopped: cancelled|✓ write_proposal/);
  await seen(/you> [^\n]*\n[\s\S]*you> $/m);
  child.stdin.write('/exit\n');
  const end = await exited;
  expect(end, out).toEqual({ code: 0, signal: null });
  expect(out).toMatch(/session \w+ saved/);
}, 120_000);
