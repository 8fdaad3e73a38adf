import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/config/kinds/layer.js';
import type { Service } from '../../src/config/kinds/service.js';
import { BREAKING_RULES, findBreakingChanges } from '../../src/plan/breaking-changes.js';
import type { BreakingCode } from '../../src/plan/formats.js';

const layer = (patch: Partial<Layer> = {}): Layer => ({
  kind: 'Layer',
  name: 'roads',
  service: 'transport',
  id: 'transport::roads',
  title: 'Roads',
  geometryType: 'LineString',
  idField: 'id',
  geometryField: 'geom',
  crs: ['EPSG:4326', 'EPSG:3857'],
  defaultCrs: 'EPSG:4326',
  storage: { table: 'roads', geometryColumn: 'geom', primaryKey: 'id', srid: 4326, indexes: [] },
  fields: [
    { name: 'id', type: 'integer', nullable: false, column: 'id' },
    { name: 'width', type: 'float', nullable: true, column: 'width' },
    { name: 'opened', type: 'date', nullable: true, column: 'opened' },
  ],
  itemLimit: 1000,
  defaultLimit: 10,
  latencyBudgetMs: 2000,
  countBudgetMs: 250,
  keywords: [],
  enabled: true,
  healthChecks: [],
  origin: { file: 'x.yaml' },
  ...patch,
});
const service = (patch: Partial<Service> = {}): Service => ({
  kind: 'Service',
  name: 'transport',
  title: 'T',
  dataSource: 'db',
  enabled: true,
  keywords: [],
  origin: { file: 's.yaml' },
  ...patch,
});
const state = (l: Layer[] = [layer()], s: Service[] = [service()]) => ({ layers: l, services: s });
const fields = (f: Layer['fields']) => layer({ fields: f });
const base = layer().fields;

/** Each rule: a change that trips it, and a similar change that must not. */
const cases: Record<BreakingCode, { breaks: ReturnType<typeof state>; safe: ReturnType<typeof state> }> = {
  'layer-removed': { breaks: state([]), safe: state([layer(), layer({ name: 'rivers', id: 'transport::rivers' })]) },
  'service-removed': { breaks: state([], []), safe: state([layer()], [service(), service({ name: 'other' })]) },
  'collection-disabled': { breaks: state([layer({ enabled: false })]), safe: state([layer({ title: 'Streets' })]) },
  'field-removed': {
    breaks: state([fields(base.slice(0, 2))]),
    safe: state([fields([...base, { name: 'lanes', type: 'integer', nullable: true, column: 'lanes' }])]),
  },
  'field-type-changed': {
    breaks: state([fields(base.map((f) => (f.name === 'width' ? { ...f, type: 'string' } : f)))]),
    safe: state([fields(base.map((f) => (f.name === 'width' ? { ...f, type: 'double' } : f.name === 'opened' ? { ...f, type: 'datetime' } : f)))]),
  },
  'geometry-type-changed': { breaks: state([layer({ geometryType: 'MultiLineString' })]), safe: state([layer({ geometryField: 'geom' })]) },
  'srid-changed': {
    breaks: state([layer({ storage: { ...layer().storage, srid: 2263 } })]),
    safe: state([layer({ storage: { ...layer().storage, table: 'roads_v2' } })]),
  },
  'id-field-changed': { breaks: state([layer({ idField: 'width' })]), safe: state([layer({ displayField: 'width' })]) },
  'crs-removed': { breaks: state([layer({ crs: ['EPSG:4326'] })]), safe: state([layer({ crs: ['EPSG:4326', 'EPSG:3857', 'EPSG:2263'] })]) },
  'default-crs-changed': { breaks: state([layer({ defaultCrs: 'EPSG:3857' })]), safe: state([layer({ itemLimit: 50 })]) },
};

describe('breaking-change rules', () => {
  it('every rule has a case', () => expect(Object.keys(cases).sort()).toEqual(Object.keys(BREAKING_RULES).sort()));

  it.each(Object.entries(cases))('%s', (code, c) => {
    expect(findBreakingChanges(state(), c.breaks).map((b) => b.code)).toContain(code);
    expect(findBreakingChanges(state(), c.safe)).toEqual([]);
  });

  it('names the layer and path', () => {
    expect(findBreakingChanges(state(), state([fields(base.slice(0, 2))]))).toEqual([
      {
        code: 'field-removed',
        kind: 'Layer',
        key: 'Layer/transport::roads',
        path: 'spec.fields[opened]',
        message: 'layer transport::roads: field opened is removed',
      },
    ]);
  });
});
