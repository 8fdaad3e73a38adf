import { scanSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { TableInfo } from '../../src/db/inspection-format.js';
import { loadParser, parseStatements } from '../../src/db/sql/parse.js';
import { addColumnMigration, addTableMigration, spatialIndexMigration } from '../../src/generate/migration.js';
import { columnDefault, columnType } from '../../src/generate/sql-fragments.js';
import { RESERVED_WORDS, sqlIdent } from '../../src/generate/sql-ident.js';
import { consultant } from '../helpers/consultant.js';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy } from '../helpers/repo.js';

/**
 * SQL smuggled through what a generator takes from a model: a column type, a default, a
 * geometry type, a name — or through a table name read from a hostile database. Nothing but the
 * statements the generator meant may reach a migration.
 */
beforeAll(async () => {
  await loadParser();
});

const base = { existing: [{ id: '003', name: '003_x' }], now: new Date('2026-11-24T18:00:00Z') };

const table = (name: string, schema = 'public', geometry = true): TableInfo => ({
  schema,
  name,
  kind: 'table',
  comment: null,
  estimatedRows: 10,
  rows: null,
  primaryKey: ['id'],
  columns: [
    { name: 'id', position: 1, type: 'integer', nullable: false, default: null, comment: null, primaryKey: true },
    ...(geometry ? [{ name: 'geom', position: 2, type: 'geometry(Point,4326)', nullable: true, default: null, comment: null, primaryKey: false }] : []),
  ],
  geometryColumns: geometry ? [{ column: 'geom', kind: 'geometry', type: 'Point', srid: 4326, dimensions: 2, spatialIndex: null, extent: null }] : [],
  indexes: [],
  foreignKeys: [],
  findings: [],
});

/** Every SQL text in a generated migration, parsed: statement types in order. */
const statementTypes = (m: ReturnType<typeof addColumnMigration>): string[] =>
  [...(m.migration.spec.up ?? []), ...(m.migration.spec.down ?? [])].flatMap((s) => parseStatements((s as { content: string }).content).map((x) => x.type));

describe('column types', () => {
  it.each([
    'text',
    'integer',
    'numeric(10,2)',
    'numeric(10, 2)',
    'character varying(20)',
    'double precision',
    'timestamp with time zone',
    'timestamptz',
    'date',
    'integer[]',
    'text[][]',
    'geometry(Point, 4326)',
    'geometry(MultiPolygonZ,2263)',
    'geography(Point)',
    'pg_catalog.int4',
    'bit varying(8)',
    'interval',
  ])('%s is a type', (t) => {
    expect(columnType(t)).toBe(t.trim().replace(/\s+/g, ' '));
  });

  it.each([
    'text; DELETE FROM parks',
    'text); DROP TABLE parks; --',
    'text -- ',
    'text /* x */',
    "text DEFAULT 'x'",
    'text NOT NULL, ADD COLUMN evil int',
    'text COLLATE "C"',
    "text CHECK (pg_read_file('/etc/passwd') IS NULL)",
    'int GENERATED ALWAYS AS (1) STORED',
    'text; GRANT ALL ON parks TO PUBLIC',
    '"text"',
    '$1',
    'text\n; DELETE FROM parks',
    'numeric(10,2)); DELETE FROM parks; SELECT (1',
    'text USING 1',
    '',
  ])('%j is refused', (t) => {
    expect(() => columnType(t)).toThrow(expect.objectContaining({ code: 'bad-type' }));
  });
});

describe('column defaults', () => {
  it.each([
    '0',
    '-1.5',
    "'unknown'",
    "'it''s'",
    'true',
    'NULL',
    'now()',
    'CURRENT_DATE',
    'CURRENT_TIMESTAMP',
    "'2024-01-01'::date",
    "ARRAY['a', 'b']",
    "'{}'::jsonb",
    '+3',
    "'--not a comment'",
  ])('%s is a constant', (d) => {
    expect(columnDefault(d)).toBe(d);
  });

  it.each([
    ['0; DELETE FROM parks', 'bad-default'],
    ['0); DELETE FROM parks; SELECT (0', 'bad-default'],
    ["'x' -- ", 'bad-default'],
    ['(SELECT max(id) FROM parks)', 'bad-default'],
    ["pg_read_file('/etc/passwd')", 'bad-default'],
    ["dblink_exec('dbname=x', 'DELETE FROM parks')", 'bad-default'],
    ['random()', 'volatile-default'],
    ['gen_random_uuid()', 'volatile-default'],
    ["nextval('parks_id_seq')", 'volatile-default'],
    ['1 + (SELECT 1)', 'bad-default'],
    ['$1', 'bad-default'],
    ["current_setting('x')", 'bad-default'],
  ])('%j is refused (%s)', (d, code) => {
    expect(() => columnDefault(d)).toThrow(expect.objectContaining({ code }));
  });
});

describe('names are quoted, and the SQL is parsed back', () => {
  it('every reserved word in the list is one PostgreSQL reserves, and is quoted', () => {
    for (const word of RESERVED_WORDS) {
      const token = scanSync(word).tokens[0]!;
      expect([4, 3], word).toContain(token.keywordKind); // RESERVED_KEYWORD or TYPE_FUNC_NAME_KEYWORD
      expect(sqlIdent(word)).toBe(`"${word}"`);
    }
    expect(sqlIdent('parks')).toBe('parks');
    expect(sqlIdent('Parks')).toBe('"Parks"');
  });

  it.each([`a'; DROP TABLE parks; --`, 'x"; DROP TABLE parks; --', 'user', 'Weird Name', "o'brien\\"])(
    'a table named %j gets exactly the statements meant',
    (name) => {
      for (const m of [spatialIndexMigration(table(name), base), addColumnMigration(table(name), { name: 'note', type: 'text' }, base)]) {
        const types = statementTypes(m);
        expect(
          types.every((t) => ['IndexStmt', 'VacuumStmt', 'DropStmt', 'AlterTableStmt'].includes(t)),
          types.join(),
        ).toBe(true);
        // Every check query is a single SELECT naming the table as a literal.
        for (const check of Object.values(m.migration.spec.validation ?? {}).flat()) {
          const statements = parseStatements((check as { query: string }).query);
          expect(statements.map((s) => s.type)).toEqual(['SelectStmt']);
        }
      }
    },
  );

  it.each([
    ['type', { kind: 'add-column', table: 'parks', column: 'c', type: 'text; DELETE FROM parks' }, 'bad-type'],
    ['default', { kind: 'add-column', table: 'parks', column: 'c', type: 'int', default: '0; GRANT ALL ON parks TO PUBLIC' }, 'bad-default'],
    ['column name', { kind: 'add-column', table: 'parks', column: 'c int; DROP TABLE parks; --', type: 'int' }, 'bad-identifier'],
    [
      'add-table column type',
      { kind: 'add-table', table: 'benches', geometryType: 'Point', columns: [{ name: 'material', type: 'text); DELETE FROM parks; --' }] },
      'bad-type',
    ],
    [
      'add-table default',
      { kind: 'add-table', table: 'benches', geometryType: 'Point', columns: [{ name: 'material', type: 'text', default: "'x'); DELETE FROM parks; --" }] },
      'bad-default',
    ],
    ['geometry type', { kind: 'add-table', table: 'benches', geometryType: 'Point, 4326) NOT NULL); DELETE FROM parks; --' }, 'bad-geometry-type'],
    ['add-table name', { kind: 'add-table', table: 'benches (id int); DELETE FROM parks; --' }, 'bad-identifier'],
  ])('through the tool, an injected %s is refused and nothing is drafted', async (_what, args, code) => {
    const { db } = await testDatabase({ sampleCity: true });
    const dir = await sampleCopy();
    await gitInit(dir);
    const { runner } = consultant({ repoDir: dir, db: db as Database });
    const r = await runner.call('generate_migration', args);
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe(code);
    expect(runner.session.drafts.size).toBe(0);
  });

  it('a comment with quotes and backslashes stays a string literal', () => {
    const m = addTableMigration(
      {
        name: 'benches',
        geometryType: 'Point',
        srid: 4326,
        columns: [{ name: 'material', type: 'text', default: "'wood'" }],
        comment: "it's \\'; DROP TABLE parks; --",
      },
      [],
      base,
    );
    const up = (m.migration.spec.up?.[0] as { content: string }).content;
    expect(parseStatements(up).map((s) => s.type)).toEqual(['CreateStmt', 'CommentStmt']);
    expect(up).toContain("E'it''s \\\\''; DROP TABLE parks; --'");
  });
});
