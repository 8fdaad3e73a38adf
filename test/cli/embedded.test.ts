import { describe, expect, it } from 'vitest';
import { honua } from '../helpers/cli.js';
import { SAMPLE, tempDir } from '../helpers/repo.js';

/** The zero-setup path: no server, no configuration; the embedded sample city is created on first use. */
describe('the embedded sample city', () => {
  it('honua db inspect with no repository inspects it, and the development environment of the sample runs its migrations on it', async () => {
    const home = await tempDir();
    const cwd = await tempDir();
    const r = await honua(['db', 'inspect', '--json'], { cwd, env: { HONUA_HOME: home } });
    expect(r.stderr).toBe('');
    const inspection = JSON.parse(r.stdout);
    expect(inspection.database.kind).toBe('embedded');
    expect(inspection.summary.missingSpatialIndex).toEqual(['public.bike_lanes.geom']);

    const status = await honua(['migrate', 'status', '--repo', SAMPLE, '-e', 'development', '--json'], { env: { HONUA_HOME: home } });
    expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual(['pending', 'pending', 'pending']);
    const up = await honua(['migrate', 'up', '--repo', SAMPLE, '-e', 'development'], { env: { HONUA_HOME: home } });
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('Applied 001_initial_schema, 002_add_parcels_layer, 003_optimize_bike_lanes');
  }, 120_000);
});

describe('the embedded database is one process at a time', () => {
  it('refuses a second open of the same directory while the first is open, and allows it after', async () => {
    const { EmbeddedDatabase } = await import('../../src/db/embedded.js');
    const dir = `${await tempDir()}/db`;
    const first = await EmbeddedDatabase.open(dir);
    await expect(EmbeddedDatabase.open(dir)).rejects.toMatchObject({ code: 'embedded-in-use', message: expect.stringContaining(`process ${process.pid}`) });
    await first.close();
    const again = await EmbeddedDatabase.open(dir);
    await again.close();
  }, 120_000);
});
