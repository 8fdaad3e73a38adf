/**
 * Server part of `npm run bench`, on the real PostgreSQL server:
 *
 *  items      a 1,000-feature page of a 20,000-point layer over HTTP (the whole body read), beside
 *             the raw SQL of the same rows (`ST_AsGeoJSON` and the properties, through node-pg) on
 *             the same database: the ratio is the server's cost over the query (goal ≤ 1.25×).
 *  load       32 concurrent clients (autocannon) on 100-feature pages: requests/s, p50, p99.
 *  reload     20 reloads (two snapshots activated in turn, each built aside, probed and swapped)
 *             while 32 clients read: failed requests (goal 0) and the reload times.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PostgresDatabase, sampleCitySql } from '../src/db/index.js';
import { thisProcess } from '../src/deploy/index.js';
import { createRuntime } from '../src/runtime/index.js';
import { HonuaServer, ServerDatabases } from '../src/server/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ROWS = 20_000;

const LAYER = (title: string) => `apiVersion: honua.io/v1
kind: Layer
metadata:
  name: bench-points
  service: transportation
spec:
  title: ${title}
  geometryType: Point
  idField: id
  geometryField: geom
  temporalField: observed
  crs: [EPSG:4326, EPSG:3857]
  storage:
    table: bench_points
    geometryColumn: geom
    primaryKey: id
    srid: 4326
  fields:
    - {name: id, type: integer, nullable: false}
    - {name: name, type: string}
    - {name: category, type: string}
    - {name: value, type: double}
    - {name: observed, type: date}
  ogc:
    itemLimit: 1000
    defaultLimit: 100
`;

function cannon(
  options: Record<string, unknown>,
): Promise<{ latency: { p50: number; p99: number }; requests: { average: number }; non2xx: number; errors: number; timeouts: number }> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: Error | null, result: never) => (error ? reject(error) : resolve(result)));
  });
}

export async function benchServer(url: string | undefined): Promise<void> {
  if (!url) {
    console.log('\n[server] skipped: no PostgreSQL server');
    return;
  }
  const name = `honua_bench_server_${process.pid}`;
  const admin = new PostgresDatabase({ connectionString: url, max: 1 });
  await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
  await admin.exec(`CREATE DATABASE ${name}`);
  const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'honua-bench-server-'));
  const repo = path.join(dir, 'repo');
  const db = new PostgresDatabase({ connectionString: dbUrl, max: 2 });
  try {
    await db.exec('CREATE EXTENSION postgis');
    await db.exec(await sampleCitySql());
    await db.exec(`CREATE TABLE bench_points (id integer PRIMARY KEY, name text, category text, value double precision, observed date, geom geometry(Point, 4326));
      INSERT INTO bench_points SELECT i, 'point ' || i, (ARRAY['a','b','c','d'])[1 + i % 4], i * 0.5, DATE '2020-01-01' + (i % 1500),
        ST_SetSRID(ST_MakePoint(-123 + (i % 200) * 0.005, 45 + (i / 200) * 0.005), 4326) FROM generate_series(1, ${ROWS}) i;
      CREATE INDEX bench_points_geom ON bench_points USING gist (geom); ANALYZE bench_points;`);
    await cp(path.join(root, 'samples/honua-config'), repo, { recursive: true });
    const layerFile = path.join(repo, 'environments/common/layers/bench-points.yaml');
    await writeFile(layerFile, LAYER('Bench points'));
    const commit = (message: string) => {
      git(repo, 'add', '.');
      git(repo, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', message);
    };
    git(repo, 'init', '-q', '-b', 'main');
    commit('sample + bench layer');
    const env = { HONUA_HOME: path.join(dir, 'home'), HONUA_USER: 'bench' };
    const runtime = await createRuntime({ cwd: repo, env, repo, databaseUrl: dbUrl });
    const engine = runtime.engine();
    const first = await engine.deploy({ environment: 'development' });
    if (first.state !== 'Completed') throw new Error(`the bench sample did not deploy: ${first.error?.message}`);
    await writeFile(layerFile, LAYER('Bench points, retitled'));
    commit('retitle');
    const second = await engine.deploy({ environment: 'development' });
    if (second.state !== 'Completed') throw new Error(`the second deployment ended ${second.state}`);
    const store = await runtime.stateStore('development');
    const server = await HonuaServer.create({
      environment: 'development',
      store,
      databases: new ServerDatabases({ env, home: env.HONUA_HOME, databaseUrl: dbUrl }),
      pollMs: 0,
    });
    const base = await server.listen(0, '127.0.0.1');
    const items = `${base}/ogc/collections/transportation::bench-points/items`;
    try {
      // items: the page over HTTP against the raw SQL of the same rows.
      const sql = `SELECT id, ST_AsGeoJSON(geom, 9) AS geometry, name, category, value, observed FROM bench_points ORDER BY id LIMIT 1000`;
      // The same rows as whole GeoJSON Features (what a hand-written server would run to produce the same document).
      const featureSql = `SELECT ST_AsGeoJSON(t.*, 'geom', 9) AS feature FROM bench_points t ORDER BY id LIMIT 1000`;
      const features: number[] = [];
      const raw = new PostgresDatabase({ connectionString: dbUrl, max: 1 });
      const http: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < 40; i++) {
        let t = performance.now();
        const body = await (await fetch(`${items}?limit=1000`, { headers: { 'accept-encoding': 'identity' } })).text();
        http.push(performance.now() - t);
        if (i === 0 && (JSON.parse(body) as { numberReturned: number }).numberReturned !== 1000) throw new Error('the page is not 1,000 features');
        t = performance.now();
        await raw.query(sql);
        direct.push(performance.now() - t);
        t = performance.now();
        await raw.query(featureSql);
        features.push(performance.now() - t);
      }
      await raw.close();
      const ratio = median(http.slice(5)) / median(direct.slice(5));
      console.log(
        `\n[server] items: 1,000-feature page over HTTP median ${median(http.slice(5)).toFixed(1)} ms; the raw ST_AsGeoJSON SQL of the same rows ${median(direct.slice(5)).toFixed(1)} ms; ratio ${ratio.toFixed(2)}× (goal ≤ 1.25×); against ST_AsGeoJSON(t.*) Features ${median(features.slice(5)).toFixed(1)} ms: ${(median(http.slice(5)) / median(features.slice(5))).toFixed(2)}×`,
      );

      // load: 32 clients on 100-feature pages.
      const load = await cannon({ url: `${items}?limit=100`, connections: 32, duration: 8 });
      console.log(
        `[server] 32 concurrent clients, 100-feature pages: ${Math.round(load.requests.average)} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${load.non2xx + load.errors + load.timeouts} failed`,
      );

      // reload: 20 swaps between the two snapshots while 32 clients read.
      const snapshots = [first.snapshot as string, second.snapshot as string];
      const reloadTimes: number[] = [];
      const running = cannon({ url: `${items}?limit=100`, connections: 32, duration: 12 });
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 20; i++) {
        const current = await store.getEnvironment('development');
        const lease = await store.acquire('development', thisProcess('bench'), { ttlMs: 10_000 });
        try {
          await store.saveEnvironment(lease, { ...current.value, activeSnapshot: snapshots[i % 2] }, current.revision);
        } finally {
          await lease.release();
        }
        const outcome = await server.reload('bench');
        if (outcome.result !== 'swapped') throw new Error(`reload ${i} did not swap: ${JSON.stringify(outcome)}`);
        reloadTimes.push(outcome.ms);
        await new Promise((r) => setTimeout(r, 200));
      }
      const during = await running;
      console.log(
        `[server] 20 reloads under 32 clients: ${during.non2xx + during.errors + during.timeouts} failed requests of ${Math.round(during.requests.average * 12)} (goal 0); reload median ${median(reloadTimes).toFixed(0)} ms, max ${Math.max(...reloadTimes).toFixed(0)} ms; p99 during reloads ${during.latency.p99} ms vs ${load.latency.p99} ms without`,
      );
    } finally {
      await server.close();
      await runtime.close();
    }
  } finally {
    await db.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
    await rm(dir, { recursive: true, force: true });
  }
}
