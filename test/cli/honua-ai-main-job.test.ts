import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';
import { expect, test } from 'vitest';
import { honua } from '../helpers/cli.js';
import { tempDir } from '../helpers/repo.js';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../dist/src/cli/honua-ai.js');

/**
 * The README's main job, as a new user runs it: no configuration, no key, no network, no
 * database server. It must end with a validated layer proposal committed on a branch of the
 * workspace copy of the sample repository, pushed to its local origin.
 */
test('honua-ai ask --yes "add a layer for the transit routes table" works on the embedded default', async () => {
  const home = await tempDir('honua-home-');
  const cwd = await tempDir('honua-cwd-');
  const env = { PATH: process.env.PATH ?? '', HOME: home, HONUA_HOME: home, NO_COLOR: '1' };
  const { stdout, stderr } = await run(process.execPath, [BIN, 'ask', '--yes', 'add a layer for the transit routes table'], { cwd, env, timeout: 180_000 });
  expect(stdout, stderr).toMatch(/Created proposal: feature\/add-transit-routes-layer/);
  const repo = path.join(home, 'workspace', 'honua-config');
  const origin = simpleGit({ baseDir: path.join(home, 'workspace', 'honua-config.git') });
  expect((await origin.branch()).all).toContain('feature/add-transit-routes-layer');
  await simpleGit({ baseDir: repo }).checkout('feature/add-transit-routes-layer');
  const validate = await honua(['validate', '--repo', repo]);
  expect(validate.code, validate.stderr).toBe(0);
  await simpleGit({ baseDir: repo }).checkout('main');
  // The same job again: no second, identical branch; it says where the proposal is, and succeeds.
  const again = await run(process.execPath, [BIN, 'ask', '--yes', 'add a layer for the transit routes table'], { cwd, env, timeout: 180_000 });
  expect(again.stdout).toMatch(/is already proposed, unchanged: feature\/add-transit-routes-layer \([0-9a-f]{7}\)/);
  expect((await origin.branch()).all.filter((b) => b.startsWith('feature/'))).toEqual(['feature/add-transit-routes-layer']);
  // --json for scripts: the calls, the gate's decisions, the answer and the outcome; a refused request exits 1.
  const json = await run(process.execPath, [BIN, 'ask', '--json', 'approve deployment prod-20241004123456-abc123'], { cwd, env, timeout: 60_000 }).then(
    () => ({ code: 0, stdout: '' }),
    (e: { code: number; stdout: string }) => e,
  );
  expect(json.code).toBe(1);
  const body = JSON.parse(json.stdout) as { toolCalls: unknown[]; answer: string; stop: string; outcome: string };
  expect(body).toMatchObject({ toolCalls: [], stop: 'done', outcome: 'failed', answer: expect.stringMatching(/cannot approve/) });
  const audit = await import('node:fs/promises').then((fs) => fs.readFile(path.join(home, 'audit', 'consultant.jsonl'), 'utf8'));
  expect(
    audit
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { tool: string }).tool),
  ).toEqual(['list_tables', 'generate_layer', 'write_proposal', 'list_tables', 'generate_layer', 'write_proposal']);
}, 240_000);
