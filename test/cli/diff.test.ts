import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { honua } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { commitAll, gitInit, SAMPLE, sampleCopy } from '../helpers/repo.js';

describe('honua diff between commits', () => {
  it('reports what changed down to the field, flags a removed field as breaking, and its JSON matches the published schema', async () => {
    const dir = await sampleCopy();
    const git = await gitInit(dir);
    const layer = path.join(dir, 'environments/staging/layers/bike-lanes.yaml');
    const text = await readFile(layer, 'utf8');
    await writeFile(
      layer,
      text
        .replace(/    - name: width_ft\n      type: double\n      alias: "Width \(feet\)"\n/, '')
        .replace('itemLimit: 1000', 'itemLimit: 2000')
        .replace('alias: "Lane Type"', 'alias: "Facility Type"'),
    );
    await commitAll(git, 'bike lanes: drop width, larger pages');

    const r = await honua(['diff', '--repo', dir, '-e', 'staging', '--from', 'HEAD~1', '--to', 'HEAD', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(schemaErrors('diff-report', d)).toEqual([]);
    expect(d.summary).toEqual({ added: 0, removed: 0, modified: 1, unchanged: 7, breaking: 1 });
    expect(d.changes).toEqual([
      {
        kind: 'Layer',
        name: 'transportation::bike-lanes',
        key: 'Layer/transportation::bike-lanes',
        action: 'modify',
        file: 'environments/staging/layers/bike-lanes.yaml',
        fields: [
          { path: 'spec.fields[width_ft]', op: 'remove', before: { name: 'width_ft', type: 'double', alias: 'Width (feet)' } },
          { path: 'spec.fields[lane_type].alias', op: 'modify', before: 'Lane Type', after: 'Facility Type' },
          { path: 'spec.ogc.itemLimit', op: 'modify', before: 1000, after: 2000 },
        ],
      },
    ]);
    expect(d.breakingChanges).toEqual([
      {
        code: 'field-removed',
        kind: 'Layer',
        key: 'Layer/transportation::bike-lanes',
        path: 'spec.fields[width_ft]',
        message: 'layer transportation::bike-lanes: field width_ft is removed',
      },
    ]);

    const human = await honua(['diff', '--repo', dir, '-e', 'staging', '--from', 'HEAD~1']);
    expect(human.stdout).toContain('~ Layer transportation::bike-lanes (modified)');
    expect(human.stdout).toContain('- spec.fields[width_ft]:');
    expect(human.stdout).toContain('~ spec.ogc.itemLimit: 1000 → 2000');
    expect(human.stdout).toContain('✗ [field-removed] layer transportation::bike-lanes: field width_ft is removed');

    // another environment did not change
    const dev = await honua(['diff', '--repo', dir, '-e', 'development', '--from', 'HEAD~1', '--exit-code']);
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain('Resources: no differences');
    expect((await honua(['diff', '--repo', dir, '-e', 'staging', '--from', 'HEAD~1', '--exit-code'])).code).toBe(1);
  });

  it('shows migrations added and explains an unknown ref', async () => {
    const dir = await sampleCopy();
    const git = await gitInit(dir);
    await writeFile(
      path.join(dir, 'migrations/004_add_sidewalks.yaml'),
      (await readFile(path.join(dir, 'migrations/001_initial_schema.yaml'), 'utf8')).replace('id: "001"', 'id: "004"'),
    );
    await commitAll(git, 'sidewalks');
    const r = await honua(['diff', '--repo', dir, '-e', 'production', '--from', 'HEAD~1', '--json']);
    expect(JSON.parse(r.stdout).migrations).toEqual({ added: ['004_add_sidewalks'], removed: [], modified: [] });
    const bad = await honua(['diff', '--repo', dir, '-e', 'production', '--from', 'v9.9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('git cannot find the commit "v9.9"');
  });

  it('refuses to diff an invalid configuration and shows why', async () => {
    const dir = await sampleCopy();
    const git = await gitInit(dir);
    await writeFile(
      path.join(dir, 'environments/production/config.yaml'),
      'apiVersion: honua.io/v1\nkind: ServerConfig\nspec:\n  server:\n    port: "eighty"\n',
    );
    await commitAll(git, 'oops');
    const r = await honua(['diff', '--repo', dir, '-e', 'production', '--from', 'HEAD~1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environments/production/config.yaml:5:11: error[wrong-type]');
    expect(r.stderr).toMatch(/error: the production configuration at HEAD \(.{7}\)|error: the production configuration at .* has 1 error/);
  });
});

describe('honua diff between environments (the promotion view)', () => {
  it('shows what production would receive from staging', async () => {
    const r = await honua(['diff', '--repo', SAMPLE, '--from-env', 'staging', '--to-env', 'production', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(schemaErrors('diff-report', d)).toEqual([]);
    expect(d.mode).toBe('environments');
    expect(d.changes).toEqual([
      {
        kind: 'Layer',
        name: 'planning::parcels',
        key: 'Layer/planning::parcels',
        action: 'modify',
        file: 'environments/staging/metadata.yaml',
        fields: [
          { path: 'spec.ogc.itemLimit', op: 'modify', before: 500, after: 1000 },
          { path: 'spec.caching.ttl', op: 'modify', before: '2h', after: '10m' },
        ],
      },
    ]);
    // 003 uses {{env}}: it expands differently per environment but is the same migration
    expect(d.migrations).toEqual({ added: [], removed: [], modified: [] });
    expect(d.environmentSpecific.map((c: { key: string; action: string }) => `${c.action} ${c.key}`)).toEqual([
      'modify DataSource/postgis-primary',
      'remove DataSource/postgis-replica',
      'modify ServerConfig/server',
    ]);
    const human = await honua(['diff', '--repo', SAMPLE, '--from-env', 'stage', '--to-env', 'prod']);
    expect(human.stdout).toContain('Promotion view: what production would receive from staging');
  });

  it('needs both environments and no commit options', async () => {
    expect((await honua(['diff', '--repo', SAMPLE, '--from-env', 'staging'])).code).toBe(2);
    expect((await honua(['diff', '--repo', SAMPLE, '--from-env', 'staging', '--to-env', 'production', '--from', 'HEAD'])).code).toBe(2);
    expect((await honua(['diff', '--repo', SAMPLE])).code).toBe(2);
  });
});
