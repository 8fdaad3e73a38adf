/**
 * Deployment part of `npm run bench`: how long a deployment of the sample takes on the real
 * server, for a metadata-only change (a layer's title: validate, plan, apply the snapshot,
 * verify) and for a change with one migration (a table and its GiST index), each beside the
 * plan alone of the same change, so the figures read as the cost of deploying over planning.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresDatabase, sampleCitySql } from '../src/db/index.js';
import { createRuntime } from '../src/runtime/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchDeploy(url: string | undefined): Promise<void> {
  if (!url) {
    console.log('\n[deploy] skipped: no PostgreSQL server');
    return;
  }
  const name = `honua_bench_deploy_${process.pid}`;
  const admin = new PostgresDatabase({ connectionString: url, max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'honua-bench-deploy-'));
  const repo = path.join(dir, 'repo');
  try {
    const db = new PostgresDatabase({ connectionString: dbUrl, max: 2 });
    await db.exec('CREATE EXTENSION postgis');
    await db.exec(await sampleCitySql());
    await db.close();
    await cp(path.join(root, 'samples/honua-config'), repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'sample');
    const runtime = await createRuntime({ cwd: repo, env: { HONUA_HOME: path.join(dir, 'home'), HONUA_USER: 'bench' }, repo, databaseUrl: dbUrl });
    const engine = runtime.engine();
    const commit = (message: string) => {
      git(repo, 'add', '.');
      git(repo, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', message);
    };
    const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const t = performance.now();
      const r = await fn();
      return [r, performance.now() - t];
    };
    try {
      const [first, initial] = await timed(() => engine.deploy({ environment: 'development' }));
      if (first.state !== 'Completed') throw new Error(`the first deployment ended ${first.state}: ${first.error?.message}`);
      const layer = path.join(repo, 'environments/common/layers/zoning.yaml');
      const text = await readFile(layer, 'utf8');
      const metadata: number[] = [];
      const plans: number[] = [];
      for (let i = 0; i < 5; i++) {
        await writeFile(layer, text.replace(/title: .*/, `title: Zoning Districts ${i}`));
        commit(`title ${i}`);
        plans.push((await timed(() => engine.plan({ environment: 'development', ref: 'HEAD' })))[1]);
        const [r, ms] = await timed(() => engine.deploy({ environment: 'development' }));
        if (r.state !== 'Completed') throw new Error(`a metadata deployment ended ${r.state}: ${r.error?.message}`);
        metadata.push(ms);
      }
      const migration: number[] = [];
      for (let i = 0; i < 3; i++) {
        const id = String(10 + i).padStart(3, '0');
        await writeFile(
          path.join(repo, `migrations/${id}_bench_table.yaml`),
          `apiVersion: honua.io/v1
kind: Migration
metadata:
  id: "${id}"
  description: bench table ${id}
spec:
  lockTimeout: 5s
  up:
    - name: create
      type: sql
      content: |
        CREATE TABLE bench_${id} (id integer PRIMARY KEY, geom geometry(Point, 4326));
        CREATE INDEX bench_${id}_geom ON bench_${id} USING gist (geom);
  down:
    - name: drop
      type: sql
      content: DROP TABLE bench_${id};
`,
        );
        commit(`migration ${id}`);
        const [r, ms] = await timed(() => engine.deploy({ environment: 'development' }));
        if (r.state !== 'Completed') throw new Error(`a migration deployment ended ${r.state}: ${r.error?.message}`);
        migration.push(ms);
      }
      const plan = median(plans);
      console.log('\n[deploy] the sample on the real server (development: no approval, no backup), in-process engine');
      console.log(`  first deployment (3 migrations, 9 resources): ${initial.toFixed(0)} ms`);
      console.log(
        `  metadata-only change: median ${median(metadata).toFixed(0)} ms over ${metadata.length} (plan alone ${plan.toFixed(0)} ms: deploy = ${(median(metadata) / plan).toFixed(1)}× plan)`,
      );
      console.log(
        `  one migration (table + GiST index): median ${median(migration).toFixed(0)} ms over ${migration.length} (${(median(migration) / plan).toFixed(1)}× plan)`,
      );
    } finally {
      await runtime.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  }
}
