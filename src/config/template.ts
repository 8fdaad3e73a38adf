/**
 * `{{env}}` templating. `{{env}}` is the environment's folder name as written in the repository
 * (so `environments/{{env}}/layers/x.yaml` points at a real file whether the folder is `dev` or
 * `development`); `{{environment}}` is the canonical name. Whitespace inside braces is allowed.
 */
export interface TemplateVariables {
  env: string;
  environment: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export const hasPlaceholder = (s: string): boolean => s.includes('{{');

/** Names of placeholders in `s` that are not defined variables. */
export function unknownPlaceholders(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (name !== 'env' && name !== 'environment') out.push(name);
  }
  return out;
}

export const expandString = (s: string, vars: TemplateVariables): string =>
  hasPlaceholder(s) ? s.replace(PLACEHOLDER, (whole, name: string) => (name === 'env' || name === 'environment' ? vars[name] : whole)) : s;

/** Expands placeholders in every string of a JSON-like value; returns the same object when nothing changes. */
export function expandValue<T>(value: T, vars: TemplateVariables): T {
  if (typeof value === 'string') return expandString(value, vars) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const e = expandValue(v, vars);
      if (e !== v) changed = true;
      return e;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const e = expandValue(v, vars);
      if (e !== v) changed = true;
      out[k] = e;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
