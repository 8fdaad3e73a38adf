import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresDatabase } from '../src/db/postgres.js';
import { sampleCitySql } from '../src/db/embedded.js';
import { createRuntime, type Runtime } from '../src/runtime/index.js';
import { OgcVerifier } from '../src/server/index.js';
import type { Scenario } from './scenario.js';

/**
 * A fresh world for one scenario: a copy of the sample config repository (a git repository whose
 * `origin` is a bare repository on disk), a database of its own on the PostgreSQL server with the
 * sample city (and the scenario's setup.sql), a home, and the scenario's clock; then its setup
 * steps, done by a person through the full engine. Nothing is shared between scenarios.
 */
const SAMPLE = path.resolve(import.meta.dirname, '../samples/honua-config');

export interface EvalWorkspace {
  repo: string;
  origin: string;
  home: string;
  databaseUrl: string;
  runtime: Runtime;
  close(): Promise<void>;
}

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

async function commit(repo: string, files: Record<string, string>, message: string): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const p = path.join(repo, file);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, content);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
  git(repo, 'push', '--quiet', 'origin', 'main');
}

export async function openWorkspace(scenario: Scenario, serverUrl: string): Promise<EvalWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), `honua-eval-${scenario.id}-`));
  const repo = path.join(root, 'honua-config');
  const origin = path.join(root, 'origin.git');
  const home = path.join(root, 'home');
  await cp(SAMPLE, repo, { recursive: true });
  await mkdir(home);
  git(root, 'init', '--quiet', '--bare', origin);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  for (const [k, v] of [
    ['user.name', 'Dana Reyes'],
    ['user.email', 'dana@city.example'],
    ['commit.gpgsign', 'false'],
  ] as const)
    git(repo, 'config', k, v);
  git(repo, 'remote', 'add', 'origin', origin);
  await commit(repo, {}, 'the sample configuration');

  const name = `honua_eval_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new PostgresDatabase({ connectionString: serverUrl, max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = new PostgresDatabase({ connectionString: databaseUrl, max: 1 });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    await db.exec(await sampleCitySql());
    if (scenario.setupSql) await db.exec(scenario.setupSql);
  } finally {
    await db.close();
  }
  const runtime = await createRuntime({
    cwd: repo,
    env: { HONUA_HOME: home, HONUA_NOW: scenario.now, HONUA_USER: 'dana', PATH: process.env.PATH },
    repo,
    databaseUrl,
    verifiers: [new OgcVerifier()],
    log: () => undefined,
  });
  const close = async (): Promise<void> => {
    await runtime.close().catch(() => undefined);
    const a = new PostgresDatabase({ connectionString: serverUrl, max: 1 });
    await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await a.close();
    await rm(root, { recursive: true, force: true });
  };
  try {
    const engine = runtime.engine();
    for (const [i, step] of scenario.setup.entries()) {
      if ('commit' in step) await commit(repo, step.commit, step.message ?? `setup step ${i + 1}`);
      else if ('edit' in step) {
        const p = path.join(repo, step.edit);
        const text = await readFile(p, 'utf8');
        if (!text.includes(step.replace)) throw new Error(`setup step ${i + 1}: "${step.replace}" is not in ${step.edit}`);
        await commit(repo, { [step.edit]: text.replace(step.replace, step.with) }, step.message ?? `setup step ${i + 1}: edit ${step.edit}`);
      } else if ('deploy' in step) {
        const r = await engine.deploy({ environment: step.deploy, ...(step.migration ? { kind: 'migration' as const, migration: step.migration } : {}) });
        if (!['Completed', 'AwaitingApproval', 'Pending'].includes(r.state))
          throw new Error(`setup step ${i + 1}: the deployment to ${step.deploy} ended ${r.state}: ${r.error?.message ?? ''}`);
      } else if ('backup' in step) await engine.backupCreate({ environment: step.backup });
      else await (await runtime.database('development')).exec(step.sql);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { repo, origin, home, databaseUrl, runtime, close };
}
