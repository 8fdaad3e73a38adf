import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepo } from '../../src/config/validate.js';
import { lintProblems } from '../../src/db/lint/lint-repo.js';
import { type ProblemCode, problemCodes } from '../../src/config/problem.js';
import { DOC, load, minimalRepo, repoOf } from '../helpers/repo.js';

/**
 * One small repository per problem code: the code must be reported, in the right file, at the
 * right line. The table must cover every code in the catalogue.
 */
interface Case {
  files: Record<string, string>;
  /** Symbolic links to make: path → target. */
  links?: Record<string, string>;
  file: string;
  line?: number;
  severity?: 'error' | 'warning';
  environments?: string[];
}

const base = minimalRepo();
const L = 'environments/development/layers/roads.yaml';
const layerWith = (from: string, to: string) => ({ ...base, [L]: DOC.layer().replace(from, to) });
const P = 'policies/development-policy.yaml';
const policy = (spec: string) => ({
  ...base,
  [P]: `apiVersion: honua.io/v1\nkind: DeploymentPolicy\nmetadata:\n  name: dev-policy\n  environment: development\nspec:\n${spec}`,
});

const cases: Record<ProblemCode, Case> = {
  'yaml-syntax': { files: { ...base, [L]: 'apiVersion: honua.io/v1\nkind: Layer\nmetadata:\n  name: "roads\n' }, file: L },
  'not-a-document': { files: { ...base, [L]: '- just\n- a list\n' }, file: L, line: 1 },
  'missing-kind': { files: { ...base, [L]: 'apiVersion: honua.io/v1\nmetadata:\n  name: roads\n' }, file: L, line: 1 },
  'unknown-kind': { files: { ...base, [L]: DOC.layer().replace('kind: Layer', 'kind: Layr') }, file: L, line: 2 },
  'unsupported-api-version': { files: { ...base, [L]: DOC.layer().replace('honua.io/v1', 'honua.io/v2') }, file: L, line: 1 },
  'misplaced-document': { files: { ...base, 'environments/development/m.yaml': DOC.migration('001') }, file: 'environments/development/m.yaml', line: 2 },
  // Folders are read in path order: dev/ comes first, so the development/ files are the duplicates.
  'duplicate-environment': {
    files: { ...base, 'environments/dev/services/x.yaml': DOC.service('x') },
    file: 'environments/development/datasources.yaml',
    line: 1,
  },
  'symlink-ignored': {
    files: base,
    links: { 'environments/development/layers/outside.yaml': '/etc/hostname' },
    file: 'environments/development/layers/outside.yaml',
    severity: 'warning',
  },
  'unknown-template-variable': { files: layerWith('table: roads', 'table: roads_{{region}}'), file: L, line: 14 },
  'missing-field': { files: layerWith('  title: roads\n', ''), file: L, line: 6 },
  'unknown-field': { files: layerWith('  title: roads', '  titel: roads'), file: L, line: 7 },
  'wrong-type': { files: layerWith('srid: 4326', 'srid: "wgs84"'), file: L, line: 17 },
  'invalid-value': { files: layerWith('geometryType: LineString', 'geometryType: Linestring'), file: L, line: 8 },
  'out-of-range': { files: layerWith('srid: 4326', 'srid: 0'), file: L, line: 17 },
  'bad-name': { files: layerWith('name: roads', 'name: Main Roads'), file: L, line: 4 },
  'bad-crs': { files: layerWith('crs: [EPSG:4326, EPSG:3857]', 'crs: [EPSG:4326, WGS84]'), file: L, line: 12 },
  'bad-expectation': {
    files: layerWith('  fields:', '  validation:\n    healthChecks:\n      - {type: query, query: SELECT 1, expected: "mostly"}\n  fields:'),
    file: L,
    line: 20,
  },
  'bad-duration': { files: layerWith('  fields:', '  caching:\n    ttl: soon\n  fields:'), file: L, line: 19 },
  'bad-timezone': { files: policy('  deploymentWindow:\n    timezone: America/Los_Angles\n'), file: P, line: 8 },
  'bad-window': { files: policy('  deploymentWindow:\n    allowedDays: [Funday]\n'), file: P, line: 8 },
  'bad-approver': { files: policy('  approval:\n    approvers: [gis-ops]\n'), file: P, line: 8 },
  'bad-condition': { files: policy('  approval:\n    rules:\n      - resourcesModified: "lots"\n'), file: P, line: 9 },
  'bad-datetime': { files: policy('  blackoutPeriods:\n    - {start: next week, end: "2026-01-01"}\n'), file: P, line: 8 },
  'duplicate-name': {
    files: { ...base, 'environments/development/layers/roads2.yaml': DOC.layer() },
    file: 'environments/development/layers/roads2.yaml',
    line: 4,
  },
  'duplicate-field': {
    files: layerWith('    - {name: label, type: string}', '    - {name: label, type: string}\n    - {name: id, type: long}'),
    file: L,
    line: 21,
  },
  'duplicate-migration-id': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001'), 'migrations/001_b.yaml': DOC.migration('001') },
    file: 'migrations/001_b.yaml',
    line: 4,
  },
  'duplicate-policy': {
    files: {
      ...policy('  autoApprove: true\n'),
      'policies/dev-again.yaml': `apiVersion: honua.io/v1\nkind: DeploymentPolicy\nmetadata:\n  name: again\n  environment: dev\nspec:\n  autoApprove: true\n`,
    },
    file: P,
    line: 4,
  },
  'unknown-reference': { files: layerWith('service: transport', 'service: transprt'), file: L, line: 5 },
  'missing-dependency': { files: { ...base, 'migrations/002_b.yaml': DOC.migration('002', ['001']) }, file: 'migrations/002_b.yaml', line: 7 },
  'migration-cycle': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001', ['002']), 'migrations/002_b.yaml': DOC.migration('002', ['001']) },
    file: 'migrations/001_a.yaml',
    line: 7,
  },
  'missing-file': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001').replace('content: SELECT 1', 'file: 001_a.sql') },
    file: 'migrations/001_a.yaml',
    line: 10,
  },
  'field-not-found': { files: layerWith('displayField: label', 'displayField: lable'), file: L, line: 10 },
  'geometry-field-mismatch': { files: layerWith('geometryField: geom', 'geometryField: shape'), file: L, line: 11 },
  'id-field-not-primary-key': { files: layerWith('idField: id', 'idField: label'), file: L, line: 9, severity: 'warning' },
  'default-crs-not-listed': { files: layerWith('  fields:', '  ogc:\n    defaultCrs: EPSG:2263\n  fields:'), file: L, line: 19 },
  'storage-crs-not-listed': { files: layerWith('srid: 4326', 'srid: 2263'), file: L, line: 17, severity: 'warning' },
  'expectation-mismatch': {
    files: layerWith(
      '  fields:',
      '  validation:\n    healthChecks:\n      - {type: query, query: SELECT 1, expected: "Index Scan using idx_roads"}\n  fields:',
    ),
    file: L,
    line: 20,
  },
  'environment-mismatch': { files: layerWith('  service: transport', '  service: transport\n  environment: production'), file: L, line: 6 },
  'unknown-environment': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001').replace('  description: migration 001', '  description: m\n  environments: [qa]') },
    file: 'migrations/001_a.yaml',
    line: 6,
    severity: 'warning',
  },
  'literal-secret': {
    files: {
      ...base,
      'environments/development/datasources.yaml': DOC.dataSource().replace('url: {fromEnv: DATABASE_URL}', 'url: postgres://honua:hunter2@db/gis'),
    },
    file: 'environments/development/datasources.yaml',
    line: 7,
    severity: 'warning',
  },
  'policy-conflict': {
    files: {
      ...policy('  approval:\n    required: true\n'),
      '.gitops/deployment-policy.yaml': 'apiVersion: honua.io/v1\nkind: DeploymentPolicy\nenvironments:\n  development:\n    autoApprove: true\n',
    },
    file: P,
    line: 8,
    severity: 'warning',
  },
  'no-policy': { files: minimalRepo('production'), file: '', severity: 'warning' },
  'migration-id-mismatch': { files: { ...base, 'migrations/005_x.yaml': DOC.migration('006') }, file: 'migrations/005_x.yaml', line: 4, severity: 'warning' },
  'migration-lint': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001').replace('content: SELECT 1', 'content: DROP TABLE roads') },
    file: 'migrations/001_a.yaml',
    line: 9,
    severity: 'warning',
  },
  'missing-down': {
    files: { ...base, 'migrations/001_a.yaml': DOC.migration('001').replace(/ {2}down:\n {4}- type: sql\n {6}content: SELECT 1\n/, '') },
    file: 'migrations/001_a.yaml',
    line: 6,
    severity: 'warning',
  },
};

describe('every problem code', () => {
  it('has a case in this table', () => {
    expect(Object.keys(cases).sort()).toEqual(problemCodes().sort());
  });

  it('the base repository is valid', async () => {
    const { report } = validateRepo(await load(await repoOf(base)));
    expect(report.problems).toEqual([]);
  });

  it.each(Object.entries(cases))('%s', async (code, c) => {
    const dir = await repoOf(c.files);
    for (const [link, target] of Object.entries(c.links ?? {})) await symlink(target, path.join(dir, link));
    const repo = await load(dir);
    const { report } = validateRepo(repo);
    // Lint findings join validation at the CLI edge (the parser loads asynchronously).
    const found = [...report.problems, ...(code === 'migration-lint' ? await lintProblems(repo) : [])].filter((p) => p.code === code);
    expect(found, JSON.stringify(report.problems, null, 2)).not.toHaveLength(0);
    const p = found[0]!;
    expect(p.severity).toBe(c.severity ?? 'error');
    if (c.file) expect(p.file).toBe(c.file);
    if (c.line !== undefined) expect(p.line, JSON.stringify(p)).toBe(c.line);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.hint?.length ?? 0).toBeGreaterThan(0);
  });
});
