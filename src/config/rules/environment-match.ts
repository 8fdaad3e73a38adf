import { sameEnvironment } from '../environment.js';
import { isPlainObject } from '../overlay.js';
import { problemAt } from '../place.js';
import type { Problem } from '../problem.js';
import type { Resolved } from '../resolve-resources.js';

/** The documents' `metadata.environment` must agree with the folder they are in. */
export function checkEnvironmentMatch(r: Resolved, environment: string): Problem[] {
  const out: Problem[] = [];
  for (const doc of [r.base, r.overlay]) {
    if (!doc) continue;
    const md = (doc.value as Record<string, unknown>).metadata;
    const written = isPlainObject(md) ? md.environment : undefined;
    if (typeof written !== 'string') continue;
    if (doc.area === 'common') {
      out.push(
        problemAt(
          { doc, path: ['metadata', 'environment'] },
          {
            code: 'environment-mismatch',
            message: `a shared document in environments/common says it is for ${written}`,
            hint: 'Remove metadata.environment from documents in environments/common.',
          },
        ),
      );
    } else if (!sameEnvironment(written, environment)) {
      out.push(
        problemAt(
          { doc, path: ['metadata', 'environment'] },
          {
            code: 'environment-mismatch',
            message: `metadata.environment is "${written}" but the file is in environments/${doc.folder} (${environment})`,
            environment,
          },
        ),
      );
    }
  }
  return out;
}
