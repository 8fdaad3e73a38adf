import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { type DeploymentRecord, FileStateStore, type LockOwner, PostgresStateStore, snapshotOf, type StateStore } from '../../src/deploy/index.js';
import { testDatabase } from '../helpers/database.js';
import { load, SAMPLE, tempDir } from '../helpers/repo.js';
import { requireState } from '../../src/config/index.js';

/**
 * One contract, both stores: compare-and-set revisions, leases that name their holder, are taken
 * over when the holder is gone or expired, and fence a writer that lost its lease.
 */
const me: LockOwner = { host: 'this-host', pid: process.pid, label: 'tester' };
const other: LockOwner = { host: 'other-host', pid: 4242, label: 'jane via cli' };
const record = (id: string, environment = 'production', createdAt = '2026-11-24T18:00:00.000Z'): DeploymentRecord => ({
  schemaVersion: 'honua.deployment/v1',
  id,
  kind: 'deploy',
  environment,
  state: 'Pending',
  ref: 'HEAD',
  commit: 'abc1234abc1234abc1234abc1234abc1234abc12',
  requester: { name: 'tester', authenticated: false, via: 'test' },
  createdAt,
  updatedAt: createdAt,
  approvals: [],
  migrationsApplied: [],
  migrationsReverted: [],
  steps: [],
  transitions: [],
  timings: {},
});

const stores: Array<[string, () => Promise<StateStore | undefined>]> = [
  ['file', async () => new FileStateStore(await tempDir())],
  [
    'postgres',
    async () => {
      const t = await testDatabase();
      if (t.kind !== 'postgres') return undefined;
      return new PostgresStateStore(t.db as Database, { schema: `honua_state_${Math.random().toString(36).slice(2, 8)}` });
    },
  ],
];

describe.each(stores)('the %s state store', (_kind, make) => {
  it('writes by compare-and-set: a stale revision writes nothing', async (ctx) => {
    const store = await make();
    if (!store) return ctx.skip('the PostgreSQL store needs a PostgreSQL server');
    const lease = await store.acquire('production', me, { ttlMs: 60_000 });
    const r = record('prod-20261124180000-abc1234');
    expect(await store.saveDeployment(lease, r, 0)).toBe(1);
    await expect(store.saveDeployment(lease, r, 0)).rejects.toMatchObject({ code: 'stale-revision' });
    expect(await store.saveDeployment(lease, { ...r, state: 'Validating' }, 1)).toBe(2);
    await expect(store.saveDeployment(lease, { ...r, state: 'Failed' }, 1)).rejects.toMatchObject({ code: 'stale-revision' });
    expect((await store.getDeployment(r.id))?.value.state).toBe('Validating');
    expect((await store.getEnvironment('prod')).revision).toBe(0);
    const e = await store.getEnvironment('production');
    expect(await store.saveEnvironment(lease, { ...e.value, health: 'Healthy' }, 0)).toBe(1);
    await expect(store.saveEnvironment(lease, { ...e.value, health: 'Degraded' }, 0)).rejects.toMatchObject({ code: 'stale-revision' });
    await lease.release();
    await store.close();
  });

  it("lists an environment's deployments newest first, and keeps environments apart", async (ctx) => {
    const store = await make();
    if (!store) return ctx.skip('the PostgreSQL store needs a PostgreSQL server');
    const prod = await store.acquire('production', me, { ttlMs: 60_000 });
    const dev = await store.acquire('development', me, { ttlMs: 60_000 });
    await store.saveDeployment(prod, record('prod-20261124180000-aaaaaaa', 'production', '2026-11-24T18:00:00.000Z'), 0);
    await store.saveDeployment(prod, record('prod-20261125180000-bbbbbbb', 'production', '2026-11-25T18:00:00.000Z'), 0);
    await store.saveDeployment(dev, record('dev-20261126180000-ccccccc', 'development', '2026-11-26T18:00:00.000Z'), 0);
    expect((await store.listDeployments('production')).map((d) => d.id)).toEqual(['prod-20261125180000-bbbbbbb', 'prod-20261124180000-aaaaaaa']);
    expect((await store.listDeployments('production', 1)).map((d) => d.id)).toEqual(['prod-20261125180000-bbbbbbb']);
    await expect(store.saveDeployment(dev, record('prod-20261127180000-ddddddd'), 0)).rejects.toMatchObject({ code: 'internal-error' });
    expect(await store.getDeployment('nope-20261127180000-ddddddd')).toBeUndefined();
    await prod.release();
    await dev.release();
    await store.close();
  });

  it('names the holder of a lease, refuses a second one, takes over an expired one, and fences the old holder', async (ctx) => {
    const store = await make();
    if (!store) return ctx.skip('the PostgreSQL store needs a PostgreSQL server');
    let now = new Date('2026-11-24T18:00:00Z');
    const clock = () => now;
    const first = await store.acquire('staging', other, { ttlMs: 30_000, now: clock });
    await expect(store.acquire('staging', me, { ttlMs: 30_000, now: clock })).rejects.toMatchObject({
      code: 'environment-busy',
      message: expect.stringContaining('jane via cli (process 4242 on other-host)'),
    });
    // Past its expiry, another process takes over with a newer token...
    now = new Date('2026-11-24T18:01:00Z');
    const second = await store.acquire('staging', me, { ttlMs: 30_000, now: clock });
    expect(second.token).toBeGreaterThan(first.token);
    // ... and the stalled first holder can write nothing any more.
    await expect(store.saveDeployment(first, record('stage-20261124180000-abc1234', 'staging'), 0)).rejects.toMatchObject({ code: 'lease-lost' });
    await expect(first.renew()).rejects.toMatchObject({ code: 'lease-lost' });
    expect(await store.saveDeployment(second, record('stage-20261124180000-abc1234', 'staging'), 0)).toBe(1);
    await second.release();
    // Released: free for anyone at once.
    const third = await store.acquire('staging', other, { ttlMs: 30_000, now: clock });
    expect(third.token).toBeGreaterThan(second.token);
    await third.release();
    await store.close();
  });

  it('takes over at once a lease whose process is gone (same host)', async (ctx) => {
    const store = await make();
    if (!store) return ctx.skip('the PostgreSQL store needs a PostgreSQL server');
    const os = await import('node:os');
    const dead: LockOwner = { host: os.hostname(), pid: 2 ** 22 + 12345, label: 'a killed process' };
    await store.acquire('qa', dead, { ttlMs: 3_600_000 });
    const live = await store.acquire('qa', { host: os.hostname(), pid: process.pid, label: 'tester' }, { ttlMs: 30_000 });
    expect(live.token).toBe(2);
    await live.release();
    await store.close();
  });

  it('keeps snapshots immutable: a second write of the same id changes nothing', async (ctx) => {
    const store = await make();
    if (!store) return ctx.skip('the PostgreSQL store needs a PostgreSQL server');
    const lease = await store.acquire('production', me, { ttlMs: 60_000 });
    const state = requireState(await load(SAMPLE), 'production');
    const snap = snapshotOf(state, { commit: 'abc1234abc1234abc1234abc1234abc1234abc12', deploymentId: 'prod-x', at: new Date('2026-11-24T18:00:00Z') });
    await store.saveSnapshot(lease, snap);
    await store.saveSnapshot(lease, { ...snap, deploymentId: 'changed' });
    const back = await store.getSnapshot('production', snap.id);
    expect(back?.deploymentId).toBe('prod-x');
    expect(back?.state.layers.length).toBe(state.layers.length);
    await lease.release();
    await store.close();
  });
});

describe('the file store', () => {
  it('refuses names that would leave its folder', async () => {
    const store = new FileStateStore(await tempDir());
    await expect(store.getDeployment('../../etc/passwd')).resolves.toBeUndefined();
    await expect(store.getEnvironment('../x')).rejects.toMatchObject({ code: 'bad-path' });
  });
});
