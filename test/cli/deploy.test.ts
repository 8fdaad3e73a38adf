import { describe, expect, it } from 'vitest';
import { honua } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/** The deployment commands as a person uses them: exit codes, what they print, and what they ask for next. */
async function setup() {
  const repo = await sampleCopy();
  await gitInit(repo);
  const { url } = await testDatabase({ sampleCity: true });
  const home = await tempDir();
  const h = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    honua([...args, '--repo', repo, ...(url ? ['--database-url', url] : [])], {
      env: { HONUA_HOME: home, HONUA_USER: 'mike', HONUA_NOW: '2026-11-24T18:00:00Z', ...env },
    });
  return { repo, url, home, h };
}

describe('honua deploy and friends', () => {
  it('production: exit 3 with the id and the command that approves it; an approver with a token completes it (exit 0)', async (ctx) => {
    const t = await setup();
    if (!t.url) return ctx.skip('production backs up with pg_dump: a PostgreSQL server');
    const added = await t.h(['user', 'add', 'jane', '--email', 'jane@city.gov', '--team', 'gis-ops', '--json']);
    const { token } = JSON.parse(added.stdout);
    expect(token).toMatch(/^honua_/);
    expect((await t.h(['user', 'list'])).stdout).toMatch(/^jane +jane@city\.gov +team:gis-ops$/m);
    expect((await t.h(['user', 'list', '--json'])).stdout).not.toContain('tokenSha256');

    const refused = await t.h(['deploy', '-e', 'production', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('--auto-approve is refused');

    const waiting = await t.h(['deploy', '-e', 'production']);
    expect(waiting.code).toBe(3);
    const id = /(prod-\d{14}-[0-9a-f]{7}(-\d+)?)/.exec(waiting.stdout)?.[1] as string;
    expect(waiting.stdout).toContain(`honua deployment approve ${id}`);
    expect(waiting.stdout).toContain('team:gis-ops');
    expect(waiting.stderr).toContain('Awaiting approval'.replace('Awaiting approval', 'approval required'));

    const anonymous = await t.h(['deployment', 'approve', id]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('needs your identity');

    const approved = await t.h(['deployment', 'approve', id, '--comment', 'looks right'], { HONUA_TOKEN: token });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toMatch(/Backup created: production-backup-/);
    expect(approved.stderr).toContain('Executing:');
    expect(approved.stdout).toContain(`deployed to production`);

    const shown = await t.h(['deployment', 'show', id]);
    expect(shown.stdout).toContain('Approved:   jane as team:gis-ops');
    expect(shown.stdout).toContain('"looks right"');
    expect((await t.h(['deployments', 'production'])).stdout).toMatch(new RegExp(`│ ${id} │ Completed │`));
    const status = await t.h(['status', 'production']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Sync Status: ✓ Synced');
    expect(status.stdout).toContain('Health: ✓ Healthy');
    const json = JSON.parse((await t.h(['status', '--json'])).stdout);
    expect(json.map((s: { environment: string }) => s.environment)).toEqual(['development', 'staging', 'production']);

    const tested = await t.h(['test', '-e', 'production', '--layer', 'parcels']);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain('All checks passed!');
    expect((await t.h(['test', '-e', 'production', '--layer', 'nope'])).code).toBe(2);
  });

  it('refuses what makes no sense, with exit 2 and a hint', async () => {
    const t = await setup();
    expect((await t.h(['deploy'])).code).toBe(2);
    expect((await t.h(['deploy', 'layer', '-e', 'dev'])).code).toBe(2);
    const dev = await t.h(['dev', 'apply', '-e', 'prod']);
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain('production never takes');
    expect((await t.h(['deployment', 'show', 'prod-20990101000000-abcdef1'])).code).toBe(1);
    expect((await t.h(['deploy', '-e', 'dev', '--wait', 'soon'])).code).toBe(2);
    expect((await t.h(['rollback', 'dev', '--to', 'x', '--to-commit', 'y'])).code).toBe(2);
    const token = await t.h(['deployment', 'approve', 'x', '--token-file', '/no/such/file']);
    expect(token.code).toBe(2);
  });
});
