import type { z } from 'zod';
import { formatPath, type PathSegment } from './locate.js';
import type { ProblemCode } from './problem.js';
import { suggest } from './suggest.js';

export { suggest };

/**
 * Turns zod issues into Honua problems: a stable code, a message that names the field and the
 * value, and a hint (the allowed values, or the closest known field name for a typo).
 */
export interface SchemaFinding {
  code: ProblemCode;
  message: string;
  hint?: string;
  path: PathSegment[];
  /** Point at the key (unknown field) or at the parent (missing field) rather than the value. */
  at: 'value' | 'key' | 'parent';
}

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

const describe = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
};

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg as string];
  }
  return cur;
}

/** Walks a schema down a data path to find the object schema there (for the list of known keys). */
function schemaAt(schema: AnySchema, path: readonly PathSegment[], data: unknown, keepUnion = false): AnySchema | undefined {
  let cur: AnySchema | undefined = schema;
  let value: unknown = data;
  let i = 0;
  while (cur) {
    const def = cur._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
      case 'nonoptional':
        cur = def.innerType as AnySchema;
        continue;
      case 'pipe':
        cur = def.in as AnySchema;
        continue;
      case 'union': {
        if (keepUnion && i === path.length) return cur;
        const options = def.options as AnySchema[];
        const disc = def.discriminator as string | undefined;
        if (disc && value && typeof value === 'object') {
          const want = (value as Record<string, unknown>)[disc];
          cur = options.find((o) => {
            const shape = (o._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
            const lit = shape?.[disc]?._zod.def as unknown as { values?: unknown[] } | undefined;
            return lit?.values?.includes(want);
          });
          continue;
        }
        // Prefer the object branch for mappings, the array branch for lists.
        const wantType = Array.isArray(value) ? 'array' : value && typeof value === 'object' ? 'object' : undefined;
        cur = options.find((o) => (o._zod.def as { type: string }).type === wantType) ?? options[0];
        continue;
      }
      default:
        break;
    }
    if (i === path.length) return cur;
    const seg = path[i++] as PathSegment;
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[seg as string] : undefined;
    if (def.type === 'object') cur = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === 'array') cur = def.element as AnySchema;
    else if (def.type === 'record') cur = def.valueType as AnySchema;
    else return undefined;
  }
  return undefined;
}

function knownKeys(schema: AnySchema, path: readonly PathSegment[], data: unknown): string[] {
  const s = schemaAt(schema, path, data);
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Picks the union branch whose issues got furthest (the one the author most likely meant). */
function bestBranch(errors: Issue[][]): Issue[] | undefined {
  let best: Issue[] | undefined;
  let bestDepth = -1;
  for (const branch of errors) {
    const depth = Math.max(0, ...branch.map((e) => e.path.length + (e.code === 'invalid_type' ? 0 : 0.5)));
    if (depth > bestDepth || (depth === bestDepth && best && branch.length < best.length)) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

export function findingsFromIssues(issues: readonly Issue[], schema: AnySchema, data: unknown, base: PathSegment[] = []): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    const where = formatPath(path);
    const value = valueAt(data, path);
    switch (issue.code) {
      case 'invalid_type': {
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        if (value === undefined) {
          out.push({ code: 'missing-field', message: `${where} is required (${expected})`, path, at: 'parent' });
        } else {
          out.push({ code: 'wrong-type', message: `${where} must be ${expected}, not ${describe(value)}`, path, at: 'value' });
        }
        break;
      }
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path, data);
        for (const key of issue.keys) {
          const hint = suggest(key, known);
          out.push({
            code: 'unknown-field',
            message: `${where ? `${where}: ` : ''}unknown field "${key}"`,
            hint: hint ? `Did you mean "${hint}"?` : known.length > 0 ? `Known fields here: ${known.join(', ')}.` : 'Remove it.',
            path: [...path, key],
            at: 'key',
          });
        }
        break;
      }
      case 'invalid_value': {
        const allowed = issue.values.map((v) => String(v));
        const s = typeof value === 'string' ? suggest(value, allowed) : undefined;
        const last = path.at(-1);
        if (last === 'apiVersion' || last === 'kind') break; // reported by the envelope check
        if (value === undefined) {
          out.push({ code: 'missing-field', message: `${where} is required (one of: ${allowed.join(', ')})`, path, at: 'parent' });
          break;
        }
        out.push({
          code: 'invalid-value',
          message: `${where} is ${describe(value)}, which is not one of: ${allowed.join(', ')}`,
          hint: s ? `Did you mean "${s}"?` : `Use one of: ${allowed.join(', ')}.`,
          path,
          at: 'value',
        });
        break;
      }
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const word = issue.code === 'too_small' ? 'at least' : 'at most';
        const unit = issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : '';
        const exact = issue.code === 'too_small' && issue.origin === 'array' && issue.inclusive && Number(bound) === 1;
        out.push({
          code: 'out-of-range',
          message: exact
            ? `${where} must not be empty`
            : `${where} must be ${word} ${String(bound)}${unit}${issue.origin === 'number' ? `, not ${String(value)}` : ''}`,
          path,
          at: 'value',
        });
        break;
      }
      case 'invalid_format':
        out.push({
          code: 'invalid-value',
          message: `${where}: ${issue.message}${typeof value === 'string' ? ` (got ${JSON.stringify(value)})` : ''}`,
          path,
          at: 'value',
        });
        break;
      case 'invalid_union': {
        const note = (issue as { note?: string }).note;
        const disc = (issue as { discriminator?: string }).discriminator;
        if (disc !== undefined || note === 'No matching discriminator') {
          const discPath = [...path, disc ?? 'type'];
          const discValue = valueAt(data, discPath);
          const options = discriminatorValues(schema, path, data, disc ?? 'type');
          const s = typeof discValue === 'string' ? suggest(discValue, options) : undefined;
          out.push({
            code: discValue === undefined ? 'missing-field' : 'invalid-value',
            message:
              discValue === undefined
                ? `${formatPath(discPath)} is required (one of: ${options.join(', ')})`
                : `${formatPath(discPath)} is ${describe(discValue)}, which is not one of: ${options.join(', ')}`,
            hint: s ? `Did you mean "${s}"?` : `Use one of: ${options.join(', ')}.`,
            path: discPath,
            at: discValue === undefined ? 'parent' : 'value',
          });
          break;
        }
        const branch = bestBranch(issue.errors as Issue[][]);
        if (branch && branch.length > 0) {
          out.push(...findingsFromIssues(branch, schema, data, base));
        } else {
          out.push({ code: 'wrong-type', message: `${where} has the wrong type (${describe(value)})`, path, at: 'value' });
        }
        break;
      }
      case 'custom': {
        const params = issue.params as { code?: ProblemCode; hint?: string } | undefined;
        const code = params?.code ?? 'invalid-value';
        out.push({
          code,
          message: `${where ? `${where}: ` : ''}${issue.message}`,
          ...(params?.hint ? { hint: params.hint } : {}),
          path,
          at: code === 'missing-field' ? 'parent' : 'value',
        });
        break;
      }
      default:
        out.push({ code: 'invalid-value', message: `${where ? `${where}: ` : ''}${issue.message}`, path, at: 'value' });
    }
  }
  return out;
}

function discriminatorValues(schema: AnySchema, path: readonly PathSegment[], data: unknown, disc: string): string[] {
  // Find the union at `path` and read the literal of each option's discriminator.
  let cur: AnySchema | undefined = schemaAt(schema, path, data, true);
  for (let guard = 0; cur && guard < 5; guard++) {
    const def = cur._zod.def as unknown as { type: string; options?: AnySchema[]; innerType?: AnySchema };
    if (def.type === 'union' && def.options) {
      return def.options.flatMap((o) => {
        const shape = (o._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
        const lit = shape?.[disc]?._zod.def as unknown as { values?: unknown[] } | undefined;
        return (lit?.values ?? []).map(String);
      });
    }
    cur = def.innerType;
  }
  return [];
}
