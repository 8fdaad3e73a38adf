import type { FieldType, Layer, Service } from '../config/index.js';
import type { BreakingChange, BreakingCode } from './formats.js';

/**
 * Breaking changes: what would break a client of the published API (an app, a GIS desktop, a
 * script that pages through features). Each rule has a stable code. Rules compare the normalized
 * resources, so they see through overlays and CRS spellings.
 */
export const BREAKING_RULES: Record<BreakingCode, string> = {
  'layer-removed': 'A published layer (OGC API collection) disappears; clients get 404.',
  'service-removed': 'A service and all its collections disappear.',
  'collection-disabled': 'A layer or service is disabled (enabled: false) and stops being served.',
  'field-removed': 'A property clients read is no longer returned.',
  'field-type-changed':
    'A property changes type in a way clients cannot absorb. Widening is not breaking: integer → long/double/decimal, long → decimal, float → double/decimal, double → decimal, date → datetime.',
  'geometry-type-changed': 'The geometry type changes (LineString → MultiLineString, ...); clients and styles expecting the old type break.',
  'srid-changed': 'The storage SRID changes: coordinates change unless every client asks for a CRS explicitly.',
  'id-field-changed': 'Feature ids change, so links and bookmarks to /items/{id} break.',
  'crs-removed': 'A CRS clients may request is no longer offered (requests with it get 400).',
  'default-crs-changed': 'Clients that do not ask for a CRS get coordinates in another one.',
};

const WIDENING: Partial<Record<FieldType, FieldType[]>> = {
  integer: ['long', 'double', 'decimal'],
  long: ['decimal'],
  float: ['double', 'decimal'],
  double: ['decimal'],
  date: ['datetime'],
};

export interface PublishedState {
  layers: readonly Layer[];
  services: readonly Service[];
}

export function findBreakingChanges(before: PublishedState, after: PublishedState): BreakingChange[] {
  const out: BreakingChange[] = [];
  const add = (code: BreakingCode, kind: BreakingChange['kind'], key: string, message: string, path?: string): void => {
    out.push({ code, kind, key, message, ...(path ? { path } : {}) });
  };
  const afterServices = new Map(after.services.map((s) => [s.name, s]));
  for (const s of before.services) {
    const now = afterServices.get(s.name);
    const key = `Service/${s.name}`;
    if (!now) add('service-removed', 'Service', key, `service ${s.name} is removed`);
    else if (s.enabled && !now.enabled) add('collection-disabled', 'Service', key, `service ${s.name} is disabled`, 'spec.enabled');
  }
  const afterLayers = new Map(after.layers.map((l) => [l.id, l]));
  for (const l of before.layers) {
    const key = `Layer/${l.id}`;
    const now = afterLayers.get(l.id);
    if (!now) {
      add('layer-removed', 'Layer', key, `layer ${l.id} is removed`);
      continue;
    }
    if (l.enabled && !now.enabled) add('collection-disabled', 'Layer', key, `layer ${l.id} is disabled`, 'spec.enabled');
    if (l.geometryType !== now.geometryType) {
      add('geometry-type-changed', 'Layer', key, `layer ${l.id}: geometry type ${l.geometryType} → ${now.geometryType}`, 'spec.geometryType');
    }
    if (l.storage.srid !== now.storage.srid) {
      add('srid-changed', 'Layer', key, `layer ${l.id}: storage SRID ${l.storage.srid} → ${now.storage.srid}`, 'spec.storage.srid');
    }
    if (l.idField !== now.idField) add('id-field-changed', 'Layer', key, `layer ${l.id}: id field ${l.idField} → ${now.idField}`, 'spec.idField');
    for (const c of l.crs) {
      if (!now.crs.includes(c)) add('crs-removed', 'Layer', key, `layer ${l.id}: CRS ${c} is no longer offered`, 'spec.crs');
    }
    if (l.defaultCrs !== now.defaultCrs) {
      add('default-crs-changed', 'Layer', key, `layer ${l.id}: default CRS ${l.defaultCrs} → ${now.defaultCrs}`, 'spec.ogc.defaultCrs');
    }
    const fields = new Map(now.fields.map((f) => [f.name, f]));
    for (const f of l.fields) {
      const nf = fields.get(f.name);
      if (!nf) {
        add('field-removed', 'Layer', key, `layer ${l.id}: field ${f.name} is removed`, `spec.fields[${f.name}]`);
      } else if (f.type !== nf.type && !(WIDENING[f.type] ?? []).includes(nf.type)) {
        add('field-type-changed', 'Layer', key, `layer ${l.id}: field ${f.name} changes type ${f.type} → ${nf.type}`, `spec.fields[${f.name}].type`);
      }
    }
  }
  return out;
}
