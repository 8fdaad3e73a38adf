#!/usr/bin/env node
// Builds the embedded sample city once, at install time (`npm ci` runs `prepare`), as a
// data-directory archive in dist/embedded/, so a first `honua-ai ask` or `honua db inspect`
// unpacks it in a second or two instead of building it (~10 s). An up-to-date archive is kept;
// a failure only warns: without the archive the first run builds the database itself.
import { existsSync } from 'node:fs';

const started = performance.now();
try {
  const { buildSampleCityArchive, sampleCityArchive } = await import('../dist/src/db/sample-city.js');
  const file = await sampleCityArchive();
  if (existsSync(file)) {
    console.log(`honua: the embedded sample city is ready (${file})`);
  } else {
    console.log('honua: building the embedded sample city once (PGlite + PostGIS, about 10 s)...');
    await buildSampleCityArchive();
    console.log(`honua: built ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  console.warn(
    `honua: warning: could not prebuild the embedded sample city (${error instanceof Error ? error.message : String(error)}); the first run will build it instead`,
  );
}
