import { scanSync } from 'libpg-query';
import { isVolatileFunction, parseStatements, SqlSyntaxError } from '../db/index.js';
import { GenerateError } from '../errors/index.js';

/**
 * The pieces of SQL a generator takes from its caller (a model, a person at a prompt): a column
 * type and a default. Each must be exactly what it claims to be, checked with PostgreSQL's own
 * scanner and parser (libpg_query) rather than a pattern:
 *
 *   - a type is a type name with optional modifiers and array bounds (`text`, `numeric(10,2)`,
 *     `timestamp with time zone`, `geometry(Point, 4326)`, `integer[]`): no strings, comments,
 *     semicolons, operators or quoted identifiers, and `SELECT NULL::<type>` parses to a
 *     single cast of NULL;
 *   - a default is one constant expression: a literal (with an optional cast or sign), an array
 *     of them, CURRENT_DATE and friends, or now(). No subqueries, no other function calls —
 *     a default runs on every insert, with the inserter's rights.
 *
 * Call loadParser() (src/db/sql/parse.ts) before these.
 */
const MAX_TYPE = 100;
const MAX_DEFAULT = 200;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Tokens a type may contain besides plain words: ( ) , [ ] . and integers. */
const TYPE_PUNCTUATION = new Set(['(', ')', ',', '[', ']', '.']);
const CONSTANT_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'localtimestamp']);

type Node = Record<string, unknown>;

const unsafe = (what: 'type' | 'default', text: string, why: string, hint: string): GenerateError =>
  new GenerateError(
    what === 'type' ? 'bad-type' : 'bad-default',
    `${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} is not a valid ${what === 'type' ? 'column type' : 'column default'}: ${why}`,
    { hint, fault: 'model', data: { [what]: text } },
  );

function tokens(text: string): Array<{ text: string; name: string; keyword: boolean }> {
  try {
    return scanSync(text).tokens.map((t) => ({ text: t.text, name: t.tokenName, keyword: t.keywordKind !== 0 }));
  } catch {
    return [{ text, name: 'ERROR', keyword: false }];
  }
}

const single = (sql: string): Node | undefined => {
  try {
    const statements = parseStatements(sql);
    if (statements.length !== 1 || statements[0]?.type !== 'SelectStmt') return undefined;
    const node = statements[0].node;
    const keys = Object.keys(node).filter((k) => !['targetList', 'limitOption', 'op'].includes(k));
    if (keys.length > 0) return undefined;
    const targets = node.targetList as Node[] | undefined;
    if (!targets || targets.length !== 1) return undefined;
    return ((targets[0] as Node).ResTarget as Node | undefined)?.val as Node | undefined;
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
};

/** A type name node: plain names, integer or bare-word modifiers (geometry(Point, 4326)). */
function typeNameOk(typeName: Node | undefined): boolean {
  if (!typeName) return false;
  const names = typeName.names as Node[] | undefined;
  if (!names || names.length === 0 || names.length > 2) return false;
  const mods = (typeName.typmods as Node[] | undefined) ?? [];
  return mods.every((m) => {
    if (m.A_Const) return typeof ((m.A_Const as Node).ival as Node | undefined)?.ival === 'number' || (m.A_Const as Node).ival !== undefined;
    const fields = (m.ColumnRef as Node | undefined)?.fields as Node[] | undefined;
    return fields !== undefined && fields.length === 1 && (fields[0] as Node).String !== undefined;
  });
}

/** A column type, checked; returns it with its whitespace normalized. */
export function columnType(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const hint = 'Write a PostgreSQL type name such as text, integer, numeric(10,2), date, timestamp with time zone or geometry(Point, 4326).';
  if (t.length === 0) throw unsafe('type', text, 'it is empty', hint);
  if (t.length > MAX_TYPE) throw unsafe('type', text, `it is longer than ${MAX_TYPE} characters`, hint);
  for (const tok of tokens(t)) {
    const ok = TYPE_PUNCTUATION.has(tok.text) || tok.name === 'ICONST' || ((tok.name === 'IDENT' || tok.keyword) && PLAIN.test(tok.text));
    if (!ok) throw unsafe('type', text, `${JSON.stringify(tok.text)} cannot be part of a type name`, hint);
  }
  const cast = single(`SELECT NULL::${t}`)?.TypeCast as Node | undefined;
  const arg = (cast?.arg as Node | undefined)?.A_Const as Node | undefined;
  if (!cast || arg?.isnull !== true || !typeNameOk(cast.typeName as Node)) throw unsafe('type', text, 'PostgreSQL does not read it as one type name', hint);
  return t;
}

const funcName = (n: Node): string =>
  ((n.funcname as Node[]).map((x) => (x.String as Node | undefined)?.sval).at(-1) as string | undefined)?.toLowerCase() ?? '';

/** Whether an expression node is a constant a default may be. */
function constant(n: Node | undefined, text: string): boolean {
  if (!n) return false;
  const [kind] = Object.keys(n);
  const v = n[kind as string] as Node;
  switch (kind) {
    case 'A_Const':
    case 'SQLValueFunction':
      return true;
    case 'TypeCast':
      return typeNameOk(v.typeName as Node) && constant(v.arg as Node, text);
    case 'A_Expr': {
      const op = ((v.name as Node[] | undefined)?.[0]?.String as Node | undefined)?.sval;
      return v.kind === 'AEXPR_OP' && v.lexpr === undefined && (op === '-' || op === '+') && constant(v.rexpr as Node, text);
    }
    case 'A_ArrayExpr':
      return ((v.elements as Node[] | undefined) ?? []).every((e) => constant(e, text));
    case 'FuncCall': {
      const name = funcName(v);
      if (isVolatileFunction(name)) {
        throw new GenerateError('volatile-default', `the default ${text} is volatile: adding the column would rewrite the whole table`, {
          hint: 'Add the column without a default, then set the default and backfill in batches.',
          fault: 'model',
        });
      }
      return CONSTANT_FUNCTIONS.has(name) && v.args === undefined && (v.funcname as Node[]).length <= 2;
    }
    default:
      return false;
  }
}

/** A column default, checked; returns it trimmed. */
export function columnDefault(text: string): string {
  const t = text.trim();
  const hint = "A default is a constant: 0, 'unknown', true, -1.5, '2024-01-01'::date, ARRAY['a'], CURRENT_DATE or now().";
  if (t.length === 0) throw unsafe('default', text, 'it is empty', hint);
  if (t.length > MAX_DEFAULT) throw unsafe('default', text, `it is longer than ${MAX_DEFAULT} characters`, hint);
  for (const tok of tokens(t)) {
    if (tok.name === 'SQL_COMMENT' || tok.name === 'C_COMMENT' || tok.text === ';' || tok.name === 'PARAM' || tok.name === 'ERROR') {
      throw unsafe('default', text, `${JSON.stringify(tok.text.slice(0, 20))} cannot be part of a default`, hint);
    }
  }
  if (!constant(single(`SELECT (${t})`), t)) throw unsafe('default', text, 'it is not one constant expression', hint);
  return t;
}
