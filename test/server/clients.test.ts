import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../src/db/postgres.js';
import { createRuntime } from '../../src/runtime/index.js';
import { probeConformance } from '../../src/server/index.js';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * `honua serve` as a real process, read by real clients from Debian: GDAL's OGC API driver
 * (ogrinfo) and OWSLib, and by the conformance probe. Each collection's feature count must equal
 * its table's. CI installs gdal-bin and python3-owslib; without them those parts are skipped,
 * saying so.
 */
const BIN = path.resolve(import.meta.dirname, '../../dist/src/cli/honua.js');
const run = promisify(execFile);
const TABLES: Record<string, string> = {
  'planning::parcels': 'parcels',
  'planning::zoning': 'zoning',
  'transportation::bike-lanes': 'bike_lanes',
  'transportation::transit-stops': 'transit_stops',
};

/** Starts `honua serve --json` and resolves with its URL once it listens (bounded: 60 s). */
async function serve(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ child: ChildProcess; info: { url: string; ogc: string; source: string; snapshot: string }; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; ogc: string; source: string; snapshot: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`honua serve did not start in 60 s: ${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        const parsed = JSON.parse(out) as { url: string; ogc: string; source: string; snapshot: string };
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not all of it yet
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`honua serve exited with ${code}: ${err}`));
    });
  });
  return { child, info, stderr: () => err };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

const has = async (cmd: string, args: string[]): Promise<boolean> =>
  run(cmd, args).then(
    () => true,
    () => false,
  );

describe('real clients read the served sample', () => {
  it('ogrinfo (GDAL OAPIF), OWSLib and the conformance probe read every collection of the deployed sample; counts equal the tables', async (ctx) => {
    const { url } = await testDatabase({ sampleCity: true });
    if (!url) return ctx.skip('needs the PostgreSQL server');
    const repo = await sampleCopy();
    await gitInit(repo);
    const home = await tempDir();
    const env = { HONUA_HOME: home, HONUA_USER: 'mike' };
    const runtime = await createRuntime({ cwd: repo, env, repo, databaseUrl: url });
    try {
      expect((await runtime.engine().deploy({ environment: 'development' })).state).toBe('Completed');
    } finally {
      await runtime.close();
    }
    const db = new PostgresDatabase({ connectionString: url, max: 1 });
    const counts: Record<string, number> = {};
    for (const [id, table] of Object.entries(TABLES)) counts[id] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    await db.close();
    const { child, info } = await serve(['--repo', repo, '--database-url', url], env, repo);
    try {
      expect(info.source).toBe('snapshot');
      const conformance = await probeConformance(info.ogc);
      expect(conformance.filter((r) => !r.passed)).toEqual([]);
      expect(conformance.length).toBeGreaterThan(80);

      if (await has('ogrinfo', ['--version'])) {
        const r = await run('ogrinfo', ['-ro', '-al', '-so', `OAPIF:${info.ogc}`], { timeout: 120_000, maxBuffer: 8 * 1024 * 1024 });
        const found: Record<string, number> = {};
        for (const block of r.stdout.split(/\nLayer name: /).slice(1)) {
          const name = block.split('\n')[0]?.trim() as string;
          found[name] = Number(/Feature Count: (\d+)/.exec(block)?.[1]);
        }
        expect(found).toEqual(counts);
      } else if (process.env.HONUA_REQUIRE_CLIENTS) throw new Error('ogrinfo is missing, and CI requires it (gdal-bin)');
      else console.warn('skipped ogrinfo: gdal-bin is not installed (CI installs it)');

      if (await has('/usr/bin/python3', ['-c', 'import owslib.ogcapi.features'])) {
        const script = `
import json, sys
from urllib.parse import urlparse, parse_qsl
from owslib.ogcapi.features import Features
w = Features(sys.argv[1])
out = {}
for c in w.collections()['collections']:
    total, params, pages = 0, {'limit': 40}, 0
    while pages < 100:
        page = w.collection_items(c['id'], **params)
        total += len(page['features'])
        pages += 1
        nxt = [l for l in page['links'] if l['rel'] == 'next']
        if not nxt:
            break
        params = dict(parse_qsl(urlparse(nxt[0]['href']).query))
    out[c['id']] = total
print(json.dumps(out))
`;
        const r = await run('/usr/bin/python3', ['-c', script, info.ogc], { timeout: 120_000 });
        expect(JSON.parse(r.stdout)).toEqual(counts);
      } else if (process.env.HONUA_REQUIRE_CLIENTS) throw new Error('OWSLib is missing, and CI requires it (python3-owslib)');
      else console.warn('skipped OWSLib: python3-owslib is not installed (CI installs it)');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 300_000);

  it('npx honua serve on a fresh machine: the sample city, served from the sample workspace, saying it is not deployed', async () => {
    if (!existsSync(BIN)) throw new Error('the program is not compiled (npm run build)');
    const home = await tempDir();
    const cwd = await tempDir();
    const { child, info, stderr } = await serve([], { HONUA_HOME: home }, cwd);
    try {
      expect(info.source).toBe('working tree');
      expect(stderr()).toMatch(/no deployment/);
      const collections = (await (await fetch(`${info.ogc}/collections`)).json()) as { collections: unknown[] };
      expect(collections.collections).toHaveLength(4);
      const items = (await (await fetch(`${info.ogc}/collections/transportation::transit-stops/items?limit=3`)).json()) as { numberReturned: number };
      expect(items.numberReturned).toBe(3);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 180_000);
});
