import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installationPath, packageRoot } from '../config/index.js';

/**
 * The sample city: samples/data/city.sql, loaded into an embedded database with PostGIS. Built
 * from scratch that takes about ten seconds (initdb, CREATE EXTENSION postgis, the data), so
 * the installation builds it once (`npm ci` runs `prepare`, which runs
 * scripts/build-sample-city.mjs) and keeps it as a data-directory archive next to the compiled
 * code; a first run then only unpacks it. The archive's name carries a key made of the PGlite
 * and PostGIS package versions and the SQL, so an archive that no longer matches is ignored
 * and the database is built the slow way, never loaded wrong.
 */
/** samples/data/city.sql of this installation. */
export async function sampleCitySql(): Promise<string> {
  return readFile(installationPath('samples', 'data', 'city.sql'), 'utf8');
}

const versionOf = (specifier: string): string => {
  let dir = path.dirname(fileURLToPath(import.meta.resolve(specifier)));
  for (; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === specifier) return pkg.version ?? '?';
    }
  }
  return '?';
};

/** What the archive must match: the embedded engine, its PostGIS, and the sample data. */
export async function sampleCityKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`pglite ${versionOf('@electric-sql/pglite')}\npostgis ${versionOf('@electric-sql/pglite-postgis')}\n`);
  hash.update(await sampleCitySql());
  return hash.digest('hex').slice(0, 16);
}

/** Where this installation keeps the archive (dist/embedded/sample-city-<key>.tar.gz). */
export async function sampleCityArchive(): Promise<string> {
  return path.join(packageRoot(), 'dist', 'embedded', `sample-city-${await sampleCityKey()}.tar.gz`);
}

/** The archive when this installation has a matching one. */
export async function prebuiltSampleCity(): Promise<string | undefined> {
  const file = await sampleCityArchive().catch(() => undefined);
  return file && existsSync(file) ? file : undefined;
}

/**
 * Builds the archive (in memory: initdb, PostGIS, city.sql, then a gzipped dump of the data
 * directory) and writes it atomically; older archives are removed. Returns its path.
 */
export async function buildSampleCityArchive(): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const file = await sampleCityArchive();
  const db = await PGlite.create({ extensions: { postgis } });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    await db.exec(await sampleCitySql());
    const blob = await db.dumpDataDir('gzip');
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
    await rename(tmp, file);
  } finally {
    await db.close();
  }
  const { readdir } = await import('node:fs/promises');
  for (const other of await readdir(path.dirname(file))) {
    if (other.startsWith('sample-city-') && path.join(path.dirname(file), other) !== file) await rm(path.join(path.dirname(file), other), { force: true });
  }
  return file;
}
