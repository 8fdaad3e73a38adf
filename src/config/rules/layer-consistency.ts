import { normalizeCrs } from '../crs.js';
import type { WrittenLayer } from '../kinds/layer.js';
import { type Layered, placeIn, problemAt } from '../place.js';
import type { Problem } from '../problem.js';
import { suggest } from '../suggest.js';
import { checkExpectationFit } from './check-expectations.js';

/** A layer's id, display and geometry fields agree with its storage and its field list; its CRSs hang together. */
export function checkLayerConsistency(layered: Layered, layer: WrittenLayer): Problem[] {
  const out: Problem[] = [];
  const at = (path: Array<string | number>, mode?: 'value' | 'key' | 'parent') => placeIn(layered, path, mode);
  const s = layer.spec;
  const names = s.fields.map((f) => f.name);

  const seen = new Map<string, number>();
  s.fields.forEach((f, i) => {
    if (seen.has(f.name)) {
      out.push(
        problemAt(at(['spec', 'fields', i, 'name']), {
          code: 'duplicate-field',
          message: `field "${f.name}" is listed twice (also at spec.fields[${seen.get(f.name)}])`,
        }),
      );
    } else {
      seen.set(f.name, i);
    }
  });

  for (const key of ['idField', 'displayField', 'temporalField'] as const) {
    const name = s[key];
    if (name === undefined || names.includes(name)) continue;
    const near = suggest(name, names);
    out.push(
      problemAt(at(['spec', key]), {
        code: 'field-not-found',
        message: `spec.${key} "${name}" is not one of the layer's fields (${names.join(', ')})`,
        hint: near ? `Did you mean "${near}"?` : `Add a field named "${name}" under spec.fields.`,
      }),
    );
  }

  const temporal = s.temporalField === undefined ? undefined : s.fields.find((f) => f.name === s.temporalField);
  if (temporal && temporal.type !== 'date' && temporal.type !== 'datetime') {
    out.push(
      problemAt(at(['spec', 'temporalField']), {
        code: 'invalid-value',
        message: `spec.temporalField "${temporal.name}" is a ${temporal.type} field; datetime filters need a date or datetime field`,
        hint: 'Name a field of type date or datetime.',
      }),
    );
  }

  if (s.geometryField !== s.storage.geometryColumn) {
    out.push(
      problemAt(at(['spec', 'geometryField']), {
        code: 'geometry-field-mismatch',
        message: `spec.geometryField is "${s.geometryField}" but spec.storage.geometryColumn is "${s.storage.geometryColumn}"`,
      }),
    );
  }
  if (s.idField !== s.storage.primaryKey && names.includes(s.idField)) {
    out.push(
      problemAt(at(['spec', 'idField']), {
        code: 'id-field-not-primary-key',
        message: `spec.idField "${s.idField}" is not the storage primary key "${s.storage.primaryKey}"`,
      }),
    );
  }

  const crs = s.crs.map((c) => normalizeCrs(c)).filter((c): c is string => c !== undefined);
  const def = s.ogc?.defaultCrs === undefined ? undefined : normalizeCrs(s.ogc.defaultCrs);
  if (def !== undefined && !crs.includes(def)) {
    out.push(
      problemAt(at(['spec', 'ogc', 'defaultCrs']), {
        code: 'default-crs-not-listed',
        message: `the default CRS ${s.ogc?.defaultCrs} is not in spec.crs (${s.crs.join(', ')})`,
      }),
    );
  }
  const storage = `EPSG:${s.storage.srid}`;
  if (crs.length === s.crs.length && !crs.includes(storage) && !(s.storage.srid === 4326 && crs.includes('OGC:CRS84'))) {
    out.push(
      problemAt(at(['spec', 'storage', 'srid']), {
        code: 'storage-crs-not-listed',
        message: `the storage SRID ${s.storage.srid} is not in spec.crs (${s.crs.join(', ')})`,
        hint: `Add ${storage} to spec.crs.`,
      }),
    );
  }

  const checksDoc = at(['spec', 'validation', 'healthChecks']).doc;
  out.push(
    ...checkExpectationFit(checksDoc, (checksDoc.value as { spec?: { validation?: { healthChecks?: unknown } } }).spec?.validation?.healthChecks, [
      'spec',
      'validation',
      'healthChecks',
    ]),
  );
  return out;
}
