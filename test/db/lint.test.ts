import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_RULES, type LintRuleCode, lintMigration } from '../../src/db/index.js';
import { validateRepo } from '../../src/config/validate.js';
import { migrationsOf, sqlMigration } from '../helpers/migrations.js';
import { load, SAMPLE } from '../helpers/repo.js';

const T = "SET lock_timeout = '5s';\n";
const codes = async (up: string[], down: string[] = ['SELECT 1'], extra = '') => {
  const [m] = await migrationsOf({ '001_x.yaml': sqlMigration('001', up, down, extra) });
  return (await lintMigration(m!)).map((f) => f.code);
};

/** Each rule: SQL that trips it, and similar SQL that must not. */
const cases: Record<LintRuleCode, { bad: string[]; good: string[]; down?: string[] }> = {
  'sql-syntax-error': { bad: [`${T}SELEC 1`], good: [`${T}SELECT 1`] },
  'ban-drop-table': { bad: [`${T}DROP TABLE roads`], good: [`${T}DROP VIEW roads_v`] },
  'ban-drop-column': { bad: [`${T}ALTER TABLE roads DROP COLUMN width`], good: [`${T}ALTER TABLE roads ADD COLUMN width int`] },
  'ban-drop-schema': { bad: [`${T}DROP SCHEMA old`], good: [`${T}CREATE SCHEMA new`] },
  'ban-cascade': { bad: [`${T}DROP VIEW v CASCADE`], good: [`${T}DROP VIEW v`] },
  'ban-truncate': { bad: [`${T}TRUNCATE roads`], good: [`${T}DELETE FROM roads WHERE id < 0`] },
  'renaming-table': { bad: [`${T}ALTER TABLE roads RENAME TO streets`], good: [`${T}ALTER INDEX i RENAME TO j`] },
  'renaming-column': { bad: [`${T}ALTER TABLE roads RENAME COLUMN a TO b`], good: [`${T}ALTER TABLE roads RENAME CONSTRAINT a TO b`] },
  'adding-not-nullable-field': {
    bad: [`${T}ALTER TABLE roads ADD COLUMN lanes int NOT NULL`],
    good: [`${T}ALTER TABLE roads ADD COLUMN lanes int NOT NULL DEFAULT 1`],
  },
  'setting-not-nullable': {
    bad: [`${T}ALTER TABLE roads ALTER COLUMN name SET NOT NULL`],
    good: [`${T}CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL`],
  },
  'adding-field-with-volatile-default': {
    bad: [`${T}ALTER TABLE roads ADD COLUMN tag uuid DEFAULT gen_random_uuid()`],
    good: [`${T}ALTER TABLE roads ADD COLUMN seen timestamptz DEFAULT now()`],
  },
  'changing-column-type': { bad: [`${T}ALTER TABLE roads ALTER COLUMN width TYPE bigint`], good: [`${T}ALTER TABLE roads ALTER COLUMN width SET DEFAULT 0`] },
  'srid-change': {
    bad: [`${T}ALTER TABLE roads ALTER COLUMN geom TYPE geometry(LineString, 3857) USING ST_Transform(geom, 3857)`],
    good: [`${T}SELECT ST_Transform(geom, 3857) FROM roads WHERE id = 1`],
  },
  'geometry-type-narrowing': {
    bad: [`${T}ALTER TABLE parcels ALTER COLUMN geom TYPE geometry(Polygon, 4326) USING ST_GeometryN(geom, 1)`],
    good: [`${T}ALTER TABLE parcels ALTER COLUMN geom TYPE geometry(MultiPolygon, 4326) USING ST_Multi(geom)`],
  },
  'geometry-without-spatial-index': {
    bad: [`${T}CREATE TABLE trees (id int PRIMARY KEY, geom geometry(Point, 4326))`],
    good: [`${T}CREATE TABLE trees (id int PRIMARY KEY, geom geometry(Point, 4326));\nCREATE INDEX trees_geom ON trees USING gist (geom)`],
  },
  'require-concurrent-index-creation': { bad: [`${T}CREATE INDEX i ON roads (name)`], good: [`${T}CREATE INDEX CONCURRENTLY i ON roads (name)`] },
  'require-concurrent-index-deletion': { bad: [`${T}DROP INDEX i`], good: [`${T}DROP INDEX CONCURRENTLY i`] },
  'ban-concurrent-index-creation-in-transaction': {
    bad: [`${T}BEGIN;\nCREATE INDEX CONCURRENTLY i ON roads (name);\nCOMMIT`],
    good: [`${T}CREATE INDEX CONCURRENTLY i ON roads (name)`],
  },
  'constraint-missing-not-valid': {
    bad: [`${T}ALTER TABLE roads ADD CONSTRAINT w CHECK (width > 0)`],
    good: [`${T}ALTER TABLE roads ADD CONSTRAINT w CHECK (width > 0) NOT VALID`],
  },
  'update-without-where': { bad: [`${T}UPDATE roads SET width = 1`], good: [`${T}UPDATE roads SET width = 1 WHERE width IS NULL`] },
  'delete-without-where': { bad: [`${T}DELETE FROM roads`], good: [`${T}DELETE FROM roads WHERE id = 1`] },
  'require-timeout-settings': { bad: ['SELECT 1'], good: [`${T}SELECT 1`] },
  'timeout-disabled': { bad: ['SET lock_timeout = 0'], good: [`${T}SET statement_timeout = '30s'`] },
  'destructive-without-down': { bad: [`${T}DROP TABLE roads`], good: [`${T}DROP TABLE roads`], down: ['CREATE TABLE roads (id int)'] },
};

describe('migration linter', () => {
  it('every rule has a case', () => expect(Object.keys(cases).sort()).toEqual(Object.keys(LINT_RULES).sort()));

  it.each(Object.entries(cases))('%s', async (code, c) => {
    const isDownRule = code === 'destructive-without-down';
    expect(await codes(c.bad, isDownRule ? [] : ['SELECT 1'])).toContain(code);
    expect(await codes(c.good, c.down ?? ['SELECT 1'])).not.toContain(code);
  });

  it("flags seed 004's migration 003 for building an index without CONCURRENTLY on an existing table", async () => {
    const { states } = validateRepo(await load(SAMPLE), ['production']);
    const m = states.get('production')?.migrations.find((x) => x.id === '003');
    expect(readFileSync(path.join(SAMPLE, 'migrations/003_optimize_bike_lanes.yaml'), 'utf8')).toContain(
      readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/004-migration-003.yaml'), 'utf8')
        .split('\n')
        .slice(1)
        .join('\n'),
    );
    const findings = await lintMigration(m!);
    expect(findings).toContainEqual(
      expect.objectContaining({ code: 'require-concurrent-index-creation', severity: 'warning', step: 'Create spatial index', line: 1 }),
    );
  });

  it('positions a syntax error inside the step', async () => {
    const [m] = await migrationsOf({ '001_x.yaml': sqlMigration('001', [`${T}SELECT 1;\nSELECT * FORM t`], ['SELECT 1']) });
    expect((await lintMigration(m!)).find((f) => f.code === 'sql-syntax-error')).toMatchObject({ line: 3 });
  });

  it('knows the current column type when told, for narrowing and SRID rules', async () => {
    const [m] = await migrationsOf({
      '001_x.yaml': sqlMigration('001', [`${T}ALTER TABLE parcels ALTER COLUMN geom TYPE geometry(Polygon, 4326)`], ['SELECT 1']),
    });
    expect((await lintMigration(m!, [{ table: 'parcels', column: 'geom', type: 'MultiPolygon', srid: 4326 }])).map((f) => f.code)).toContain(
      'geometry-type-narrowing',
    );
    expect((await lintMigration(m!, [{ table: 'parcels', column: 'geom', type: 'Polygon', srid: 2263 }])).map((f) => f.code)).toContain('srid-change');
  });
});
