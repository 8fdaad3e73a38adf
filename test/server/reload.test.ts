import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { thisProcess } from '../../src/deploy/index.js';
import { type Registry, RegistryHolder } from '../../src/server/index.js';
import { commitAll } from '../helpers/repo.js';
import { type ServerSetup, serverSetup } from '../helpers/server.js';
import { serverUrl } from '../helpers/database.js';

/**
 * Hot reload: a deployment made by another process (another runtime on the same state store)
 * reaches the server through the store's change notification — fs.watch for the file store,
 * LISTEN/NOTIFY for PostgreSQL — with polling off, so the notification alone must do it; the new
 * registry is built aside and swapped; pools of unchanged datasources are kept; a candidate that
 * does not answer is never swapped in.
 */
const ZONING_FILE = 'environments/common/layers/zoning.yaml';

async function retitle(t: ServerSetup, title: string): Promise<string> {
  const file = path.join(t.repo, ZONING_FILE);
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^ {2}title: .*$/m, `  title: ${title}`));
  return commitAll(simpleGit(t.repo), `zoning: ${title}`);
}

/** Waits (bounded) until the served zoning title is `title`. */
async function servedTitle(t: ServerSetup, title: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < until) {
    seen = String((await t.json('/ogc/collections/planning::zoning')).title);
    if (seen === title) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

describe('hot reload', () => {
  for (const store of ['file', 'postgres'] as const) {
    it(`a deployment by another process reaches the server through the ${store} store's notification, built aside and swapped; pools kept`, async (ctx) => {
      if (!serverUrl()) return ctx.skip('needs the PostgreSQL server');
      const t = await serverSetup({ pollMs: 0, postgresState: store === 'postgres' });
      if (!t) return ctx.skip('needs the PostgreSQL server');
      expect(t.server.registry.id).toBeDefined();
      try {
        await t.server.watch();
        const before = t.server.registry;
        const poolBefore = before.collections.get('planning::zoning')?.database;
        await retitle(t, 'Zoning Districts (2026)');
        // "Another process": a runtime of its own, on the same home and state store.
        const other = await t.open({ live: false });
        try {
          const record = await other.engine().deploy({ environment: 'development' });
          expect(record.state, JSON.stringify(record.error)).toBe('Completed');
        } finally {
          await other.close();
        }
        expect(await servedTitle(t, 'Zoning Districts (2026)')).toBe('Zoning Districts (2026)');
        const after = t.server.registry;
        expect(after.id).not.toBe(before.id);
        expect(after.collections.get('planning::zoning')?.database).toBe(poolBefore);
        const ready = await t.json('/readyz');
        expect(ready).toMatchObject({ status: 'ready', snapshot: after.id, source: 'snapshot' });
        const metrics = (await t.get('/metrics')).body;
        expect(metrics).toMatch(/honua_reloads_total\{result="ok"\} [1-9]/);
      } finally {
        await t.close();
      }
    });
  }

  it('a candidate that does not answer is not swapped in: the server keeps the last good registry and says why', async (ctx) => {
    const t = await serverSetup({ pollMs: 0 });
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const store = await t.runtime.stateStore('development');
      const current = await store.getEnvironment('development');
      const active = await store.getSnapshot('development', current.value.activeSnapshot as string);
      const broken = structuredClone(active!);
      broken.id = `${broken.id}-broken`;
      for (const layer of broken.state.layers as Array<{ storage: { table: string } }>) layer.storage.table = 'no_such_table';
      const lease = await store.acquire('development', thisProcess('test'), { ttlMs: 10_000 });
      try {
        await store.saveSnapshot(lease, broken);
        await store.saveEnvironment(lease, { ...current.value, activeSnapshot: broken.id }, current.revision);
      } finally {
        await lease.release();
      }
      const outcome = await t.server.reload('test');
      expect(outcome.result).toBe('failed');
      expect(t.server.registry.id).toBe(active!.id);
      expect(t.server.lastReloadError).toMatch(/no_such_table|does not answer/);
      expect((await t.get('/ogc/collections/planning::zoning/items?limit=1')).statusCode).toBe(200);
      expect((await t.get('/metrics')).body).toMatch(/honua_reloads_total\{result="failed"\} 1/);
    } finally {
      await t.close();
    }
  });

  it('a request keeps the registry it started with; a retired registry is released only after its last request', async () => {
    const make = (id: string) => ({ id, inflight: 0, collections: new Map() }) as unknown as Registry;
    const retired: string[] = [];
    const holder = new RegistryHolder(make('a'), async (old) => void retired.push(old.id));
    const inFlight = holder.acquire();
    holder.swap(make('b'));
    expect(holder.current.id).toBe('b');
    expect(inFlight.id).toBe('a');
    expect(retired).toEqual([]);
    holder.release(inFlight);
    await new Promise((r) => setImmediate(r));
    expect(retired).toEqual(['a']);
    holder.swap(make('c'));
    await new Promise((r) => setImmediate(r));
    expect(retired).toEqual(['a', 'b']);
    // What is still in use: the current registry and every one retiring with requests on it.
    const slow = holder.acquire();
    holder.swap(make('d'));
    holder.swap(make('e'));
    expect(holder.live().map((r) => r.id)).toEqual(['e', slow.id]);
    holder.release(slow);
    expect(holder.live().map((r) => r.id)).toEqual(['e']);
  });
});

describe('numberMatched within the count budget', () => {
  it('a count slower than the layer countBudget is left out (never guessed); the page still answers and pages on', async (ctx) => {
    const layer = `apiVersion: honua.io/v1
kind: Layer
metadata:
  name: slow-stops
  service: transportation
spec:
  title: Slow stops
  geometryType: Point
  idField: stop_id
  geometryField: geom
  crs: [EPSG:4326]
  storage:
    table: slow_stops
    geometryColumn: geom
    primaryKey: stop_id
    srid: 4326
  fields:
    - {name: stop_id, type: integer, nullable: false}
    - {name: stop_name, type: string}
  ogc:
    countBudget: 100ms
`;
    const t = await serverSetup({
      files: { 'environments/common/layers/slow-stops.yaml': layer },
      // Every row costs 3 ms: a page of 10 is quick, counting all 125 is not.
      sql: `CREATE FUNCTION slow_row() RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT pg_sleep(0.003) IS NOT NULL';
            CREATE VIEW slow_stops AS SELECT stop_id, stop_name, geom FROM transit_stops WHERE slow_row();`,
    });
    if (!t) return ctx.skip('needs the PostgreSQL server');
    try {
      const slow = JSON.parse((await t.get('/ogc/collections/transportation::slow-stops/items?limit=5')).body) as {
        numberReturned: number;
        numberMatched?: number;
        links: Array<{ rel: string }>;
      };
      expect(slow.numberReturned).toBe(5);
      expect(slow.numberMatched).toBeUndefined();
      expect(slow.links.map((l) => l.rel)).toContain('next');
      const fast = JSON.parse((await t.get('/ogc/collections/transportation::transit-stops/items?limit=5')).body) as { numberMatched?: number };
      expect(fast.numberMatched).toBe(125);
    } finally {
      await t.close();
    }
  });
});
