import type { WrittenMigration } from '../config/index.js';
import { checkReadOnlySql, parseStatements, type Statement } from '../db/index.js';
import { GenerateError } from '../errors/index.js';

/**
 * The last line of defence of a migration generator: the SQL it wrote is parsed back with
 * PostgreSQL's parser and must hold exactly the statements it meant to write — so many per step,
 * of these types, on this relation (and for ALTER TABLE, these sub-commands) — and every
 * precondition and validation query must be one read-only SELECT. Whatever slipped into a name,
 * a type or a default, a migration described as "add a column" cannot carry a DELETE or a GRANT.
 * Call loadParser() first.
 */
export interface ExpectedStatement {
  type: 'IndexStmt' | 'VacuumStmt' | 'DropStmt' | 'AlterTableStmt' | 'CreateStmt' | 'CommentStmt';
  /** The relation it acts on (for DROP INDEX and COMMENT ON: the object named). */
  object: { schema: string; name: string };
  /** ALTER TABLE sub-commands, in order. */
  subtypes?: string[];
}

export interface ExpectedMigrationSql {
  up: ExpectedStatement[][];
  down: ExpectedStatement[][];
}

type Node = Record<string, unknown>;

/** The object a statement acts on, as [schema or undefined, name]. */
function objectOf(s: Statement): [string | undefined, string] | undefined {
  const n = s.node;
  const rangeVar = (r: Node | undefined): [string | undefined, string] | undefined =>
    r && typeof r.relname === 'string' ? [r.schemaname as string | undefined, r.relname] : undefined;
  const list = (l: Node | undefined): [string | undefined, string] | undefined => {
    const items = ((l?.List as Node | undefined)?.items as Node[] | undefined)?.map((i) => (i.String as Node | undefined)?.sval as string);
    if (!items || items.length === 0 || items.length > 2) return undefined;
    return items.length === 2 ? [items[0], items[1] as string] : [undefined, items[0] as string];
  };
  switch (s.type) {
    case 'IndexStmt':
    case 'AlterTableStmt':
    case 'CreateStmt':
      return rangeVar(n.relation as Node);
    case 'VacuumStmt': {
      const rels = n.rels as Node[] | undefined;
      return rels?.length === 1 ? rangeVar(((rels[0] as Node).VacuumRelation as Node | undefined)?.relation as Node) : undefined;
    }
    case 'DropStmt': {
      const objects = n.objects as Node[] | undefined;
      return objects?.length === 1 ? list(objects[0]) : undefined;
    }
    case 'CommentStmt':
      return list(n.object as Node);
    default:
      return undefined;
  }
}

const mismatch = (where: string, why: string): GenerateError =>
  new GenerateError('generated-sql-mismatch', `the generated SQL of ${where} is not what the generator meant to write (${why}); nothing was drafted`, {
    hint: 'A name, type or default carried SQL of its own. Use plain names, a type name and a constant default.',
    fault: 'model',
  });

function checkStep(where: string, sql: string, expected: ExpectedStatement[]): void {
  let statements: Statement[];
  try {
    statements = parseStatements(sql);
  } catch (error) {
    throw mismatch(where, `it does not parse: ${(error as Error).message}`);
  }
  if (statements.length !== expected.length) throw mismatch(where, `${statements.length} statements where ${expected.length} were meant`);
  statements.forEach((s, i) => {
    const e = expected[i] as ExpectedStatement;
    if (s.type !== e.type) throw mismatch(where, `a ${s.type.replace(/Stmt$/, '')} statement where ${e.type.replace(/Stmt$/, '')} was meant`);
    const object = objectOf(s);
    const schemaOk = object !== undefined && (object[0] === e.object.schema || (object[0] === undefined && e.object.schema === 'public'));
    if (!object || !schemaOk || object[1] !== e.object.name)
      throw mismatch(where, `it acts on ${object ? `${object[0] ?? 'public'}.${object[1]}` : 'something else'}, not ${e.object.schema}.${e.object.name}`);
    if (e.subtypes) {
      const cmds = ((s.node.cmds as Node[] | undefined) ?? []).map((c) => (c.AlterTableCmd as Node | undefined)?.subtype);
      if (cmds.join(',') !== e.subtypes.join(',')) throw mismatch(where, `ALTER TABLE does ${cmds.join(', ')} where ${e.subtypes.join(', ')} was meant`);
    }
  });
}

export function verifyMigrationSql(m: WrittenMigration, expected: ExpectedMigrationSql): void {
  const { spec } = m;
  for (const phase of ['up', 'down'] as const) {
    const steps = spec[phase] ?? [];
    if (steps.length !== expected[phase].length) throw mismatch(`${phase}`, `${steps.length} steps where ${expected[phase].length} were meant`);
    steps.forEach((step, i) => {
      const content = (step as { content?: string }).content;
      if (typeof content !== 'string') throw mismatch(`${phase} step ${i + 1}`, 'it has no inline SQL');
      checkStep(`${phase} step ${i + 1}`, content, expected[phase][i] as ExpectedStatement[]);
    });
  }
  const checks: unknown[] = [
    ...(spec.preConditions ?? []),
    ...(Array.isArray(spec.validation) ? spec.validation : Object.values(spec.validation ?? {}).flat()),
  ];
  const queries = checks.flatMap((c) => (typeof (c as { query?: unknown }).query === 'string' ? [(c as { query: string }).query] : []));
  for (const q of queries) {
    try {
      checkReadOnlySql(q);
    } catch (error) {
      throw mismatch('a check query', (error as Error).message);
    }
  }
}
