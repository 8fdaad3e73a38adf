import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { afterAll } from 'vitest';
import { loadRepo } from '../../src/config/load.js';
import type { LoadedRepo } from '../../src/config/source-document.js';
import { DirectorySource } from '../../src/source/index.js';

export const SAMPLE = path.resolve(import.meta.dirname, '../../samples/honua-config');

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the test file. */
export async function tempDir(prefix = 'honua-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes files (path → text) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
    await writeFile(path.join(dir, p), text);
  }
}

/** A copy of the sample config repository, optionally with files replaced or added. */
export async function sampleCopy(files: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir();
  await cp(SAMPLE, dir, { recursive: true });
  await writeFiles(dir, files);
  return dir;
}

/** A config repository made only of the given files. */
export async function repoOf(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, files);
  return dir;
}

export const load = (dir: string): Promise<LoadedRepo> => loadRepo(new DirectorySource(dir));

/** Turns a directory into a git repository with one commit of everything in it. */
export async function gitInit(dir: string, message = 'initial'): Promise<SimpleGit> {
  const git = simpleGit(dir);
  await git.init(['--initial-branch=main']);
  await git.addConfig('user.name', 'Test User');
  await git.addConfig('user.email', 'test@example.com');
  await git.addConfig('commit.gpgsign', 'false');
  await git.add('.');
  await git.commit(message);
  return git;
}

export async function commitAll(git: SimpleGit, message: string): Promise<string> {
  await git.add('.');
  const r = await git.commit(message);
  return r.commit;
}

/** Minimal valid documents for building small repositories in tests. */
export const DOC = {
  dataSource: (name = 'db', extra = '') => `apiVersion: honua.io/v1
kind: DataSource
metadata:
  name: ${name}
spec:
  type: postgis
  url: {fromEnv: DATABASE_URL}
${extra}`,
  service: (name = 'transport', ds = 'db') => `apiVersion: honua.io/v1
kind: Service
metadata:
  name: ${name}
spec:
  title: ${name}
  dataSource: ${ds}
`,
  layer: (name = 'roads', service = 'transport', fields = '    - {name: id, type: integer}\n    - {name: label, type: string}\n') => `apiVersion: honua.io/v1
kind: Layer
metadata:
  name: ${name}
  service: ${service}
spec:
  title: ${name}
  geometryType: LineString
  idField: id
  displayField: label
  geometryField: geom
  crs: [EPSG:4326, EPSG:3857]
  storage:
    table: ${name}
    geometryColumn: geom
    primaryKey: id
    srid: 4326
  fields:
${fields}`,
  migration: (id: string, deps: string[] = [], extra = '') => `apiVersion: honua.io/v1
kind: Migration
metadata:
  id: "${id}"
  description: migration ${id}
spec:
  dependencies: [${deps.map((d) => `"${d}"`).join(', ')}]
  up:
    - type: sql
      content: SELECT 1
  down:
    - type: sql
      content: SELECT 1
${extra}`,
};

/** A small valid repository with one environment (development) and everything in it. */
export const minimalRepo = (env = 'development'): Record<string, string> => ({
  [`environments/${env}/datasources.yaml`]: DOC.dataSource(),
  [`environments/${env}/services/transport.yaml`]: DOC.service(),
  [`environments/${env}/layers/roads.yaml`]: DOC.layer(),
});
