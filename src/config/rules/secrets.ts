import { isProduction } from '../environment.js';
import { isSecretName } from '../secret-text.js';
import type { PathSegment } from '../locate.js';
import { isPlainObject } from '../overlay.js';
import { type Layered, placeIn, problemAt } from '../place.js';
import type { Problem } from '../problem.js';

/**
 * Secrets never live in git. Flags string values under secret-like keys (password, token,
 * secret, apiKey, credentials) and connection URLs that carry a password, wherever they are.
 * Error in production, warning elsewhere (a throwaway local password is tolerable; the habit is
 * not).
 */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s]+)@/i;

/**
 * Verifiers, not secrets: a ServerConfig's `users[].tokenSha256` is the sha256 of a random
 * 256-bit token (honua user add), which cannot be turned back into the token. Only this exact
 * place, and only a 64-digit hex value, is exempt.
 */
const isTokenVerifier = (path: readonly PathSegment[], value: string): boolean =>
  path.length === 4 && path[0] === 'spec' && path[1] === 'users' && typeof path[2] === 'number' && path[3] === 'tokenSha256' && /^[0-9a-f]{64}$/.test(value);

interface Finding {
  path: PathSegment[];
  value: string;
  secretKey: boolean;
}

/** Where a document holds secrets does not depend on the environment: found once per document object. */
const cache = new WeakMap<object, Finding[]>();

function findSecrets(value: Record<string, unknown>): Finding[] {
  const hit = cache.get(value);
  if (hit) return hit;
  const found: Finding[] = [];
  const path: PathSegment[] = [];
  const walk = (v: unknown, key: PathSegment): void => {
    if (typeof v === 'string') {
      const secretKey = typeof key === 'string' && v.length > 0 && isSecretName(key) && !isTokenVerifier(path, v);
      if (secretKey || (v.includes('://') && URL_WITH_PASSWORD.test(v))) found.push({ path: [...path], value: v, secretKey });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], i);
        path.pop();
      }
    } else if (isPlainObject(v)) {
      for (const k in v) {
        path.push(k);
        walk(v[k], k);
        path.pop();
      }
    }
  };
  walk(value, '');
  cache.set(value, found);
  return found;
}

export function checkSecrets(layered: Layered, value: Record<string, unknown>, environment: string): Problem[] {
  const found = findSecrets(value);
  if (found.length === 0) return [];
  const severity = isProduction(environment) ? 'error' : 'warning';
  return found.map(({ path, value: v, secretKey }) => {
    const where = path.join('.');
    const interpolation = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
    return problemAt(placeIn(layered, path), {
      code: 'literal-secret',
      severity,
      environment,
      message: interpolation
        ? `${where} is "${v}", but Honua does not expand \${...}; it would be used as the literal secret`
        : secretKey
          ? `${where} is a literal secret written in the repository`
          : `${where} is a connection URL with a password in it`,
      ...(interpolation ? { hint: `Write {fromEnv: ${interpolation[1]}} instead.` } : {}),
    });
  });
}
