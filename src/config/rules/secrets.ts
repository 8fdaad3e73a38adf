import { isProduction } from '../environment.js';
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
const SECRET_KEY = /(password|passwd|pwd|secret|token|api[-_]?key|credentials?|private[-_]?key)$/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@/\s]+)@/i;

export function checkSecrets(layered: Layered, value: unknown, environment: string): Problem[] {
  const out: Problem[] = [];
  const severity = isProduction(environment) ? 'error' : 'warning';
  const walk = (v: unknown, at: PathSegment[]): void => {
    if (typeof v === 'string') {
      const key = String(at.at(-1) ?? '');
      const secretKey = SECRET_KEY.test(key) && v.length > 0;
      const inUrl = URL_WITH_PASSWORD.test(v);
      if (secretKey || inUrl) {
        const interpolation = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v);
        out.push(
          problemAt(placeIn(layered, at), {
            code: 'literal-secret',
            severity,
            environment,
            message: interpolation
              ? `${at.join('.')} is "${v}", but Honua does not expand \${...}; it would be used as the literal secret`
              : secretKey
                ? `${at.join('.')} is a literal secret written in the repository`
                : `${at.join('.')} is a connection URL with a password in it`,
            ...(interpolation ? { hint: `Write {fromEnv: ${interpolation[1]}} instead.` } : {}),
          }),
        );
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...at, i]));
    } else if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    }
  };
  walk(value, []);
  return out;
}
