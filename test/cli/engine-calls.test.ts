import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { honua } from '../helpers/cli.js';
import { gitInit, SAMPLE, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * Every `honua` command is a door to the Engine: it parses its options, calls the engine and
 * renders. With HONUA_DEBUG each engine call is written to stderr; this runs every command the
 * program has and checks the engine methods it called. A new command without a row here fails.
 */
const CALLS: Record<string, { args: (ctx: Ctx) => string[]; engine: string[] }> = {
  validate: { args: (c) => ['validate', '--repo', c.repo], engine: ['validate'] },
  diff: { args: (c) => ['diff', '--repo', c.repo, '--from-env', 'staging', '--to-env', 'production'], engine: ['diff'] },
  plan: { args: (c) => ['plan', '--repo', c.repo, '-e', 'production'], engine: ['plan'] },
  'policy-check': { args: (c) => ['policy-check', '--repo', c.repo, '-e', 'production', '--at', '2026-11-24T18:00:00Z'], engine: ['policyCheck'] },
  schema: { args: () => ['schema', '--name', 'plan'], engine: ['schemas'] },
  'db inspect': { args: (c) => ['db', 'inspect', '--repo', c.repo, '-e', 'development', '--table', 'parks'], engine: ['inspect'] },
  'migrate status': { args: (c) => ['migrate', 'status', '--repo', c.repo, '-e', 'development'], engine: ['migrationStatus'] },
  'migrate plan': { args: (c) => ['migrate', 'plan', '--repo', c.repo, '-e', 'development'], engine: ['migrationPlan'] },
  'migrate up': { args: (c) => ['migrate', 'up', '--repo', c.repo, '-e', 'development', '--to', '001_initial_schema'], engine: ['migrate'] },
  'migrate down': { args: (c) => ['migrate', 'down', '--repo', c.repo, '-e', 'development'], engine: ['migrate'] },
  'migrate lint': { args: (c) => ['migrate', 'lint', '--repo', c.repo], engine: ['lintMigrations'] },
  'backup create': { args: (c) => ['backup', 'create', '--repo', c.repo, '-e', 'development', '--dir', c.backups], engine: ['backupCreate'] },
  'backup list': { args: (c) => ['backup', 'list', '--repo', c.repo, '-e', 'development', '--dir', c.backups], engine: ['backups'] },
  deploy: { args: (c) => ['deploy', '--repo', c.repo, '-e', 'development'], engine: ['deploy'] },
  // and `honua deploy migration 003`, the same command: run after the others below.
  'dev apply': { args: (c) => ['dev', 'apply', '--repo', c.repo], engine: ['deploy'] },
  status: { args: (c) => ['status', 'development', '--repo', c.repo], engine: ['status'] },
  watch: { args: (c) => ['watch', 'development', '--repo', c.repo, '--once'], engine: ['status'] },
  deployments: { args: (c) => ['deployments', 'development', '--repo', c.repo], engine: ['deployments'] },
  'deployment show': { args: (c) => ['deployment', 'show', c.deploymentId, '--repo', c.repo], engine: ['deployment'] },
  'deployment approve': { args: (c) => ['deployment', 'approve', c.deploymentId, '--repo', c.repo], engine: ['approve'] },
  'deployment reject': { args: (c) => ['deployment', 'reject', c.deploymentId, '--repo', c.repo], engine: ['reject'] },
  'deployment resume': { args: (c) => ['deployment', 'resume', c.deploymentId, '--repo', c.repo], engine: ['resume'] },
  rollback: { args: (c) => ['rollback', 'development', '--repo', c.repo], engine: ['rollback'] },
  restore: { args: (c) => ['restore', '-e', 'development', '--commit', 'HEAD', '--repo', c.repo], engine: ['restore'] },
  test: { args: (c) => ['test', '-e', 'development', '--repo', c.repo], engine: ['verify'] },
  'user add': { args: (c) => ['user', 'add', 'jane', '--email', 'jane@city.gov', '--team', 'gis-ops', '--repo', c.repo], engine: ['userAdd'] },
  'user list': { args: (c) => ['user', 'list', '--repo', c.repo], engine: ['userList'] },
  'user remove': { args: (c) => ['user', 'remove', 'jane', '--repo', c.repo], engine: ['userRemove'] },
  'backup restore': { args: (c) => ['backup', 'restore', '--repo', c.repo, '-e', 'development', '--dir', c.backups, c.backupId], engine: ['backupRestore'] },
};

/**
 * Commands that are not one engine call by design, and why. They are still listed: a new command
 * must be put in one table or the other.
 */
const ELSEWHERE: Record<string, string> = {
  serve: 'a long-running server: its admin API and metrics call the engine per request (test/server/admin.test.ts)',
  conformance: 'an HTTP client of any OGC API server; it reads no repository, database or state',
  ai: 'the consultant (honua-ai ask): it reaches the engine only through the guarded tools (test/cli/honua-ai-ask.test.ts)',
};

interface Ctx {
  repo: string;
  home: string;
  backups: string;
  backupId: string;
  deploymentId: string;
}

/** The program's commands that run something: leaves of the tree, not hidden placeholders of planned ones. */
function commands(program: Command, prefix = ''): string[] {
  return program.commands.flatMap((c) => {
    if ((c as unknown as { _hidden?: boolean })._hidden || c.name() === 'help') return [];
    const name = `${prefix}${c.name()}`;
    // A command with an action of its own and subcommands (honua deploy, honua deploy migration) is both.
    const own = (c as unknown as { _actionHandler?: unknown })._actionHandler ? [name] : [];
    return c.commands.length > 0 ? [...own, ...commands(c, `${name} `)] : [name];
  });
}

const engineCalls = (stderr: string): string[] =>
  [...stderr.matchAll(/^honua: engine\.(\w+) \d+ ms/gm)].map((m) => m[1] as string).filter((m) => m !== 'close');

describe('every honua command calls the Engine', () => {
  it('has a row here for each command the program has', () => {
    const program = createProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd() }, { code: 0 });
    expect(commands(program).sort()).toEqual([...Object.keys(CALLS), ...Object.keys(ELSEWHERE)].sort());
  });

  it('calls exactly the engine methods listed, and nothing below them', async () => {
    const repo = await sampleCopy();
    await gitInit(repo);
    const ctx: Ctx = { repo, home: await tempDir(), backups: await tempDir(), backupId: '', deploymentId: '' };
    const env = { HONUA_HOME: ctx.home, HONUA_DEBUG: '1' };
    const seen: Record<string, string[]> = {};
    // In an order that leaves each command something to do (a migration to revert, a backup to restore).
    const order = [
      'validate',
      'diff',
      'plan',
      'policy-check',
      'schema',
      'db inspect',
      'migrate status',
      'migrate plan',
      'migrate up',
      'migrate down',
      'migrate lint',
    ];
    order.push('backup create', 'backup list', 'backup restore', 'user add', 'user list', 'deploy', 'dev apply', 'status', 'watch');
    order.push('deployments', 'deployment show', 'deployment approve', 'deployment reject', 'deployment resume', 'rollback', 'restore', 'test', 'user remove');
    for (const name of order) {
      const row = CALLS[name]!;
      if (name === 'backup restore')
        ctx.backupId = JSON.parse(
          (await honua(['backup', 'list', '--repo', repo, '-e', 'development', '--dir', ctx.backups, '--json'], { env: { HONUA_HOME: ctx.home } })).stdout,
        )[0].id;
      if (name === 'deployment show')
        ctx.deploymentId = JSON.parse((await honua(['deployments', 'development', '--repo', repo, '--json'], { env: { HONUA_HOME: ctx.home } })).stdout)[0].id;
      const r = await honua(row.args(ctx), { env });
      // 0 done, 1 failed (a finding), 3 blocked (policy-check): never a usage error.
      expect([0, 1, 3], `${name}: ${r.stderr}`).toContain(r.code);
      seen[name] = engineCalls(r.stderr);
    }
    const migration = await honua(['deploy', 'migration', '003', '--repo', repo, '-e', 'development'], { env });
    expect(migration.code, migration.stderr).toBe(0);
    expect(engineCalls(migration.stderr)).toEqual(['deploy']);
    expect(seen).toEqual(Object.fromEntries(Object.entries(CALLS).map(([k, v]) => [k, v.engine])));
  }, 180_000);

  it('says nothing of the engine without HONUA_DEBUG, and never writes arguments when it does', async () => {
    const quiet = await honua(['plan', '--repo', SAMPLE, '-e', 'production'], { env: {} });
    expect(quiet.stderr).not.toContain('engine.');
    const traced = await honua(['plan', '--repo', SAMPLE, '-e', 'production', '--ref', 'no-such-ref-xyz'], { env: { HONUA_DEBUG: 'yes' } });
    expect(traced.stderr).toMatch(/^honua: engine\.plan \d+ ms failed: (unknown-ref|not-a-git-repo)$/m);
    expect(
      traced.stderr
        .split('\n')
        .filter((l) => l.startsWith('honua: engine.'))
        .join('\n'),
    ).not.toContain('no-such-ref-xyz');
  });
});
