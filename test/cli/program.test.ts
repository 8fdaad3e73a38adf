import { describe, expect, it } from 'vitest';
import { honua, honuaProcess } from '../helpers/cli.js';
import { SAMPLE } from '../helpers/repo.js';

describe('the honua program', () => {
  it('has --help for itself and each command', async () => {
    const top = await honua(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['validate', 'diff', 'plan', 'policy-check', 'schema']) expect(top.stdout).toContain(cmd);
    for (const cmd of ['validate', 'diff', 'plan', 'policy-check', 'schema']) {
      const r = await honua([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: honua ${cmd}`);
    }
  });

  it('prints its version', async () => {
    const r = await honua(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 for unknown commands and options, with a suggestion', async () => {
    const r = await honua(['valdate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean 'honua validate'?");
    expect(r.stderr).toContain("Run 'honua --help'");
    expect((await honua(['validate', '--nope'])).code).toBe(2);
  });

  it('colors only on a terminal, and never with NO_COLOR', async () => {
    const args = ['validate', '--repo', SAMPLE];
    expect((await honua(args)).stdout).not.toContain('\u001b[');
    expect((await honua(args, { tty: true, env: { TERM: 'xterm' } })).stdout).toContain('\u001b[');
    expect((await honua(args, { tty: true, env: { TERM: 'xterm', NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await honua([...args, '--no-color'], { tty: true, env: { TERM: 'xterm' } })).stdout).not.toContain('\u001b[');
    expect((await honua(args, { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[');
  });

  it('reports a usage error as JSON when --json is given', async () => {
    const r = await honua(['plan', '--repo', '/no/such/dir', '-e', 'production', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'repo-not-found', fault: 'user' });
  });

  it('runs as a real process from the compiled package', async () => {
    const r = await honuaProcess(['validate', '--repo', SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
  });
});

describe('command-line details', () => {
  it('--no-color also applies to errors on stderr', async () => {
    const r = await honua(['validate', '--repo', '/no/such/place', '--no-color'], { tty: true, env: { TERM: 'xterm' } });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b[');
  });

  it('prints a stack for a user error only with HONUA_DEBUG=1', async () => {
    const args = ['validate', '--repo', '/no/such/place'];
    expect((await honua(args, { env: { HONUA_DEBUG: '0' } })).stderr).not.toMatch(/\n\s+at /);
    expect((await honua(args, { env: { HONUA_DEBUG: '1' } })).stderr).toMatch(/\n\s+at /);
  });

  it.each(['Nov 24 2026', '2026-13-01', 'tomorrow', '2026-11-24T25:00'])('--at %j is refused', async (at) => {
    expect((await honua(['policy-check', '--repo', SAMPLE, '-e', 'development', '--at', at])).code).toBe(2);
  });

  it.each(['2026-11-24', '2026-11-24T10:00', '2026-11-24 10:00:00-08:00', '2026-11-24T18:00:00Z'])('--at %j is accepted', async (at) => {
    expect((await honua(['policy-check', '--repo', SAMPLE, '-e', 'development', '--at', at])).code).toBe(0);
  });

  it('diff between commits refuses --ref', async () => {
    const r = await honua(['diff', '--repo', SAMPLE, '-e', 'production', '--from', 'HEAD', '--ref', 'HEAD']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ref is for comparing environments');
  });
});

describe('the installed bin', () => {
  it('is executable and runs through its shebang', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const path = await import('node:path');
    const bin = path.resolve(import.meta.dirname, '../../dist/src/cli/honua.js');
    const r = await promisify(execFile)(bin, ['--version'], { env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
