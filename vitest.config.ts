import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: tests that need neither the compiled program nor a database — they
 * start at once (`npm run test:unit`). `system`: tests that run the CLI, a database, git or HTTP
 * servers; before them the program is compiled and a private PostgreSQL started
 * (test/global-setup.ts). A test file is a system test when it uses those helpers, so the split
 * follows what a test does, not a list that drifts.
 */
const SYSTEM_HELPERS = /helpers\/(database|cli|consultant|server)\.js|honuaProcess|dist\//;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const all = testFiles('test');
const system = all.filter((f) => SYSTEM_HELPERS.test(readFileSync(f, 'utf8')));
const unit = all.filter((f) => !system.includes(f));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      { extends: true, test: { name: 'system', include: system, globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
