import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { honua, honuaProcess } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { DOC, minimalRepo, repoOf, SAMPLE, sampleCopy } from '../helpers/repo.js';

const BROKEN = path.resolve(import.meta.dirname, '../fixtures/broken-repo');

describe('honua validate', () => {
  it.each(['development', 'staging', 'production'])('the sample is valid for %s', async (env) => {
    const r = await honua(['validate', '--repo', SAMPLE, '-e', env]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✓ .*: valid( — \\d+ warnings)?\\n  ${env}\\s+✓`));
    expect(r.stdout).toContain('warning[migration-lint] [require-concurrent-index-creation]');
  });

  it('reports every mistake of the broken repository with its file and line, exits 1, and prints no stack trace', async () => {
    const r = await honuaProcess(['validate', '--repo', BROKEN]);
    expect(r.code).toBe(1);
    const expected: Array<[string, string, number]> = [
      ['yaml-syntax', 'environments/production/layers/broken-syntax.yaml', 8],
      ['unknown-field', 'environments/production/layers/bike-lanes.yaml', 18],
      ['wrong-type', 'environments/production/layers/bike-lanes.yaml', 21],
      ['unknown-reference', 'environments/production/layers/bike-lanes.yaml', 5],
      ['bad-expectation', 'environments/production/layers/bike-lanes.yaml', 26],
      ['bad-timezone', 'policies/production-policy.yaml', 12],
      ['duplicate-migration-id', 'migrations/004_zoning.yaml', 4],
      ['migration-cycle', 'migrations/001_initial.yaml', 7],
    ];
    for (const [code, file, line] of expected) expect(r.stdout).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:${line}:\\d+: error\\[${code}\\]`, 'm'));
    expect(r.stdout).toContain('✗');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

    const json = await honua(['validate', '--repo', BROKEN, '--json']);
    const report = JSON.parse(json.stdout);
    expect(schemaErrors('validation-report', report)).toEqual([]);
    expect(report.valid).toBe(false);
    expect(
      report.problems
        .filter((p: { severity: string }) => p.severity === 'error')
        .map((p: { code: string }) => p.code)
        .sort(),
    ).toEqual(expected.map(([c]) => c).sort());
  });

  it('shows a code frame, the hint and related places', async () => {
    const r = await honua(['validate', '--repo', BROKEN]);
    expect(r.stdout).toContain('5 |   service: transportaton\n  |            ^\n  hint: Did you mean "transportation"?');
    expect(r.stdout).toContain('note: first use of id "002" (migrations/002_parcels.yaml:4:7)');
  });

  it('--strict fails on warnings', async () => {
    const dir = await repoOf({ ...minimalRepo(), [`environments/development/datasources.yaml`]: DOC.dataSource('db', '  password: devpass\n') });
    expect((await honua(['validate', '--repo', dir])).code).toBe(0);
    const strict = await honua(['validate', '--repo', dir, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('warning[literal-secret]');
  });

  it('a literal secret is an error in production', async () => {
    const dir = await sampleCopy({
      'environments/production/datasources.yaml': DOC.dataSource('postgis-primary', '  password: hunter2\n'),
    });
    const r = await honua(['validate', '--repo', dir, '-e', 'production', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems.filter((p: { code: string }) => p.code !== 'migration-lint')).toMatchObject([
      { code: 'literal-secret', severity: 'error', environment: 'production', line: 8 },
    ]);
  });

  it('checks a default CRS a layer inherits from its service', async () => {
    const dir = await repoOf({
      ...minimalRepo(),
      'environments/development/services/transport.yaml': DOC.service().replace('  dataSource: db\n', '  dataSource: db\n  ogc: {defaultCrs: EPSG:2263}\n'),
    });
    const r = await honua(['validate', '--repo', dir, '--json']);
    expect(JSON.parse(r.stdout).problems).toMatchObject([{ code: 'default-crs-not-listed', file: 'environments/development/layers/roads.yaml', line: 12 }]);
  });

  it('reads a folder inside the repository (--path environments/)', async () => {
    const r = await honua(['validate', '--path', path.join(SAMPLE, 'environments')]);
    expect(r.code).toBe(0);
  });

  it('an unknown environment is a usage error that lists the known ones', async () => {
    const r = await honua(['validate', '--repo', SAMPLE, '-e', 'prodution']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment "prodution" has no folder under environments/');
    expect(r.stderr).toContain('Did you mean "production"? Known environments: development, staging, production.');
  });
});
