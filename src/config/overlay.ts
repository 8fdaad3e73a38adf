/**
 * Overlay of an environment document on the common document of the same kind and name:
 * mappings merge recursively, anything else (scalars, lists) is replaced, and `null` removes a
 * key. A list is replaced whole so an environment can shorten it (e.g. fewer CRSs).
 */
export function overlay(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in base ? overlay(base[k], v) : v;
  }
  return out;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
