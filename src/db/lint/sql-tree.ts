import type { Statement } from '../sql/parse.js';

/** Reading PostgreSQL parse trees (libpg-query's JSON) for the linter. */
export type Node = Record<string, unknown>;

export const str = (n: unknown): string | undefined => (n as { String?: { sval?: string } })?.String?.sval;
export const names = (list: unknown): string[] => (Array.isArray(list) ? list.map(str).filter((s): s is string => s !== undefined) : []);
export const relname = (rangeVar: unknown): string | undefined => (rangeVar as { relname?: string } | undefined)?.relname;

/** Every FuncCall name in a subtree (lower-case, schema-qualified as written). */
export function functionsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) functionsIn(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'FuncCall')
        out.push(
          names((v as Node).funcname)
            .join('.')
            .toLowerCase(),
        );
      functionsIn(v, out);
    }
  }
  return out;
}

/** The geometry or geography type a column is declared with: its kind, subtype and SRID as written. */
export function geometryTypeOf(typeName: unknown): { kind: 'geometry' | 'geography'; type?: string; srid?: number } | undefined {
  const t = typeName as { names?: unknown; typmods?: unknown[] } | undefined;
  const n = names(t?.names).at(-1)?.toLowerCase();
  if (n !== 'geometry' && n !== 'geography') return undefined;
  const mods = t?.typmods ?? [];
  const type = mods[0]
    ? (mods[0] as { ColumnRef?: { fields?: unknown } }).ColumnRef
      ? names((mods[0] as { ColumnRef: { fields: unknown } }).ColumnRef.fields)[0]
      : undefined
    : undefined;
  const sridConst = mods[1] as { A_Const?: { ival?: { ival?: number } } } | undefined;
  const srid = sridConst?.A_Const ? (sridConst.A_Const.ival?.ival ?? 0) : undefined;
  return { kind: n, ...(type ? { type } : {}), ...(srid !== undefined ? { srid } : {}) };
}

/** A constant zero (0, '0', '0s', '0ms', '0min'): a timeout that means "no limit". */
export const isZero = (arg: unknown): boolean => {
  const c = (arg as { A_Const?: { ival?: { ival?: number }; sval?: { sval?: string } } }).A_Const;
  if (!c) return false;
  if (c.ival !== undefined) return (c.ival.ival ?? 0) === 0;
  return c.sval?.sval !== undefined && /^0(ms|s|min)?$/i.test(c.sval.sval.trim());
};

/** The subcommands of an ALTER TABLE, with the table they change. */
export function alterCommands(s: Statement): Array<{ table: string; cmd: Node; def: Node | undefined }> {
  if (s.type !== 'AlterTableStmt') return [];
  const table = relname(s.node.relation) ?? '';
  return ((s.node.cmds as unknown[]) ?? []).flatMap((c) => {
    const cmd = (c as { AlterTableCmd?: Node }).AlterTableCmd;
    return cmd ? [{ table, cmd, def: cmd.def as Node | undefined }] : [];
  });
}
