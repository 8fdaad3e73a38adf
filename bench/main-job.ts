import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The README's main job, timed as a user meets it after install: `honua-ai ask --yes "add a layer
 * for the transit routes table"` with no configuration, side by side with what it cannot go
 * below:
 *
 *   first run   a new $HONUA_HOME: the workspace is created and the embedded database unpacked
 *               from the archive the installation prebuilt;
 *   warm run    the same home again (the previous run's branch is deleted between runs, untimed);
 *   open        a Node process that only opens and closes the embedded database (PGlite +
 *               PostGIS): the floor of any run that touches the database.
 *
 * Targets: the first run within 2x of the warm run; the warm run under 5 s.
 */
const BIN = path.resolve(import.meta.dirname, '../src/cli/honua-ai.js');
const EMBEDDED = path.resolve(import.meta.dirname, '../src/db/embedded.js');
const REQUEST = 'add a layer for the transit routes table';

const timed = (fn: () => void): number => {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
};

const env = (home: string) => ({ PATH: process.env.PATH ?? '', HOME: home, HONUA_HOME: home, NO_COLOR: '1' });
const ask = (home: string): number =>
  timed(() => execFileSync(process.execPath, [BIN, 'ask', '--yes', REQUEST], { env: env(home), cwd: tmpdir(), stdio: 'ignore' }));
const open = (dir: string): number =>
  timed(() =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { EmbeddedDatabase } = await import(${JSON.stringify(EMBEDDED)}); const db = await EmbeddedDatabase.open(${JSON.stringify(dir)}); await db.query('SELECT postgis_version()'); await db.close();`,
      ],
      { stdio: 'ignore' },
    ),
  );
const best = (runs: number[]): number => Math.min(...runs);
const s = (n: number): string => `${n.toFixed(2)} s`;

const homes: string[] = [];
try {
  console.log(`\nmain job: honua-ai ask --yes "${REQUEST}"`);
  const firsts: number[] = [];
  let home = '';
  for (let i = 0; i < 2; i++) {
    home = mkdtempSync(path.join(tmpdir(), 'honua-bench-home-'));
    homes.push(home);
    firsts.push(ask(home));
  }
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const repo of ['honua-config', 'honua-config.git'])
      execFileSync('git', ['-C', path.join(home, 'workspace', repo), 'branch', '-D', '--quiet', 'feature/add-transit-routes-layer'], { stdio: 'ignore' });
    warm.push(ask(home));
  }
  const opens = [0, 1, 2].map(() => open(path.join(home, 'embedded', 'postgis-primary')));
  const [f, w, o] = [best(firsts), best(warm), best(opens)];
  console.log('  run                       best      runs');
  console.log(`  first run (new home)      ${s(f)}    ${firsts.map(s).join(', ')}`);
  console.log(`  warm run                  ${s(w)}    ${warm.map(s).join(', ')}`);
  console.log(`  open the embedded db only ${s(o)}    ${opens.map(s).join(', ')}`);
  console.log(
    `  first / warm: ${(f / w).toFixed(2)}x (target <= 2x: ${f / w <= 2 ? 'met' : 'missed'}); warm / open: ${(w / o).toFixed(2)}x; warm target < 5 s: ${w < 5 ? 'met' : 'missed'}`,
  );
} finally {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
}
