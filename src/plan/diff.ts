import { isSecretName, REDACTED, normalizeCrs, type ResourceDocument, isPlainObject } from '../config/index.js';
import type { FieldChange, ResourceChange } from './formats.js';

/**
 * The semantic diff of two sets of resources: which were added, removed or modified, and for
 * modified ones, which fields changed. It compares meaning, not text: key order and comments do
 * not matter; list items that have a `name` (fields, indexes) are matched by name so inserting a
 * field is one addition, not a cascade of changes; lists of plain values (CRSs, keywords) are
 * compared as sets, with a separate `reorder` when only the order changed; CRS codes are compared
 * in canonical form (EPSG:4326 equals its OGC URI).
 */
const IGNORED = new Set(['metadata.environment']);
const CRS_PATHS = new Set(['spec.crs', 'spec.ogc.defaultCrs']);

function redact(path: string, value: unknown): unknown {
  const last = path.split('.').at(-1) ?? '';
  if (typeof value === 'string' && (isSecretName(last) || /:\/\/[^/\s:@]+:[^/\s]*@/.test(value))) return REDACTED;
  return value;
}

function canonical(path: string, value: unknown): unknown {
  if (!CRS_PATHS.has(path)) return value;
  if (typeof value === 'string') return normalizeCrs(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? (normalizeCrs(v) ?? v) : v));
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

const join = (base: string, key: string): string => (base ? `${base}.${key}` : key);
const named = (list: unknown[]): list is Array<Record<string, unknown> & { name: string }> =>
  list.every((x) => isPlainObject(x) && typeof x.name === 'string') && new Set(list.map((x) => (x as { name: string }).name)).size === list.length;
const scalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function diffValue(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (IGNORED.has(path)) return;
  before = canonical(path, before);
  after = canonical(path, after);
  if (deepEqual(before, after)) return;
  if (before === undefined) {
    out.push({ path, op: 'add', after: redact(path, after) });
    return;
  }
  if (after === undefined) {
    out.push({ path, op: 'remove', before: redact(path, before) });
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const k of keys) diffValue(before[k], after[k], join(path, k), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length > 0 && after.length > 0 && named(before) && named(after)) {
      const b = new Map(before.map((x) => [x.name, x]));
      const a = new Map(after.map((x) => [x.name, x]));
      for (const [name, x] of b) if (!a.has(name)) out.push({ path: `${path}[${name}]`, op: 'remove', before: x });
      for (const [name, x] of a) {
        const old = b.get(name);
        if (old === undefined) out.push({ path: `${path}[${name}]`, op: 'add', after: x });
        else diffValue(old, x, `${path}[${name}]`, out);
      }
      const order = (list: Array<{ name: string }>, keep: Map<string, unknown>) => list.map((x) => x.name).filter((n) => keep.has(n));
      const ob = order(before, a);
      const oa = order(after, b);
      if (!deepEqual(ob, oa)) out.push({ path, op: 'reorder', before: ob, after: oa });
      return;
    }
    if (before.every(scalar) && after.every(scalar)) {
      const removed = before.filter((x) => !after.some((y) => y === x));
      const added = after.filter((x) => !before.some((y) => y === x));
      for (const x of removed) out.push({ path, op: 'remove', before: x });
      for (const x of added) out.push({ path, op: 'add', after: x });
      if (removed.length === 0 && added.length === 0) out.push({ path, op: 'reorder', before, after });
      return;
    }
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) diffValue(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  out.push({ path, op: 'modify', before: redact(path, before), after: redact(path, after) });
}

/** Field-level changes between two written documents. */
export function diffDocuments(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const part of ['metadata', 'spec', 'environments']) diffValue(before[part], after[part], part, out);
  return out;
}

export interface ResourceDiff {
  changes: ResourceChange[];
  summary: { added: number; removed: number; modified: number; unchanged: number };
}

/** Compares two sets of resources by key. */
export function diffResources(before: readonly ResourceDocument[], after: readonly ResourceDocument[]): ResourceDiff {
  const b = new Map(before.map((r) => [r.key, r]));
  const a = new Map(after.map((r) => [r.key, r]));
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const [key, r] of b) {
    if (!a.has(key)) changes.push({ kind: r.kind, name: r.name, key, action: 'remove', file: r.overlay ?? r.file, fields: [] });
  }
  for (const [key, r] of a) {
    const old = b.get(key);
    if (!old) {
      changes.push({ kind: r.kind, name: r.name, key, action: 'add', file: r.overlay ?? r.file, fields: [] });
      continue;
    }
    const fields = diffDocuments(old.value, r.value);
    if (fields.length === 0) unchanged++;
    else changes.push({ kind: r.kind, name: r.name, key, action: 'modify', file: r.overlay ?? r.file, fields });
  }
  changes.sort((x, y) => x.key.localeCompare(y.key));
  const count = (action: ResourceChange['action']) => changes.filter((c) => c.action === action).length;
  return { changes, summary: { added: count('add'), removed: count('remove'), modified: count('modify'), unchanged } };
}
