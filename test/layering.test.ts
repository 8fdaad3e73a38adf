import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering table of .dependency-cruiser.cjs (which `npm run layering` enforces on every
 * import) must itself be sound: every folder of the code is in it, and it has no cycle, so
 * no two folders can ever depend on each other.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const { LAYERS } = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as { LAYERS: Record<string, string[]> };

describe('the layering', () => {
  it('covers every folder of the code', () => {
    const folders = [
      ...readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `src/${d.name}`),
      'tools',
      'guardrails',
    ];
    expect(Object.keys(LAYERS).sort()).toEqual(folders.sort());
    for (const allowed of Object.values(LAYERS)) for (const f of allowed) expect(folders).toContain(f);
  });

  it('has no cycle between folders', () => {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (folder: string, trail: string[]): void => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'visiting') throw new Error(`cycle: ${[...trail, folder].join(' → ')}`);
      state.set(folder, 'visiting');
      for (const dep of LAYERS[folder] ?? []) visit(dep, [...trail, folder]);
      state.set(folder, 'done');
      order.push(folder);
    };
    for (const folder of Object.keys(LAYERS)) visit(folder, []);
    expect(order).toHaveLength(Object.keys(LAYERS).length);
  });

  it('keeps the core below the doors: nothing under engine, ai, db, config, plan or policy may import the cli', () => {
    for (const folder of [
      'src/engine',
      'src/ai',
      'src/db',
      'src/config',
      'src/plan',
      'src/policy',
      'src/runtime',
      'src/generate',
      'src/source',
      'src/errors',
    ]) {
      expect(LAYERS[folder]).not.toContain('src/cli');
      expect(LAYERS[folder]).not.toContain('src/mcp');
    }
    // And the code agrees, grep-level.
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && /from '(\.\.\/)+cli\//.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(ROOT, p));
      }
    };
    for (const folder of ['engine', 'ai', 'db', 'config', 'plan', 'policy']) walk(path.join(ROOT, 'src', folder));
    expect(offenders).toEqual([]);
  });
});
