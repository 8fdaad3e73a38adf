import { describe, expect, it } from 'vitest';
import type { ResourceDocument } from '../../src/config/desired-state.js';
import { diffDocuments, diffResources } from '../../src/plan/diff.js';

const doc = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'roads' }) => ({ metadata, spec });
const res = (key: string, value: Record<string, unknown>): ResourceDocument => ({ kind: 'Layer', name: key, key: `Layer/${key}`, value, file: `${key}.yaml` });

describe('semantic diff of documents', () => {
  it.each([
    ['a scalar', { ogc: { itemLimit: 1000 } }, { ogc: { itemLimit: 500 } }, [{ path: 'spec.ogc.itemLimit', op: 'modify', before: 1000, after: 500 }]],
    ['an added key', {}, { caching: { ttl: '1h' } }, [{ path: 'spec.caching', op: 'add', after: { ttl: '1h' } }]],
    ['a removed key', { keywords: ['a'] }, {}, [{ path: 'spec.keywords', op: 'remove', before: ['a'] }]],
    [
      'named list items by name, not position',
      {
        fields: [
          { name: 'id', type: 'integer' },
          { name: 'width', type: 'double' },
        ],
      },
      {
        fields: [
          { name: 'id', type: 'integer' },
          { name: 'name', type: 'string' },
          { name: 'width', type: 'integer' },
        ],
      },
      [
        { path: 'spec.fields[name]', op: 'add', after: { name: 'name', type: 'string' } },
        { path: 'spec.fields[width].type', op: 'modify', before: 'double', after: 'integer' },
      ],
    ],
    [
      'a removed named item',
      { fields: [{ name: 'id' }, { name: 'x' }] },
      { fields: [{ name: 'id' }] },
      [{ path: 'spec.fields[x]', op: 'remove', before: { name: 'x' } }],
    ],
    [
      'reordered named items',
      { fields: [{ name: 'a' }, { name: 'b' }] },
      { fields: [{ name: 'b' }, { name: 'a' }] },
      [{ path: 'spec.fields', op: 'reorder', before: ['a', 'b'], after: ['b', 'a'] }],
    ],
    [
      'scalar lists as sets',
      { crs: ['EPSG:4326', 'EPSG:3857'] },
      { crs: ['EPSG:4326', 'EPSG:2263'] },
      [
        { path: 'spec.crs', op: 'remove', before: 'EPSG:3857' },
        { path: 'spec.crs', op: 'add', after: 'EPSG:2263' },
      ],
    ],
    ['CRS codes in canonical form', { crs: ['EPSG:4326'] }, { crs: ['http://www.opengis.net/def/crs/EPSG/0/4326'] }, []],
    [
      'unnamed list items by position',
      { checks: [{ q: 1 }, { q: 2 }] },
      { checks: [{ q: 1 }, { q: 3 }] },
      [{ path: 'spec.checks[1].q', op: 'modify', before: 2, after: 3 }],
    ],
    ['key order does not matter', { a: 1, b: 2 }, { b: 2, a: 1 }, []],
  ])('%s', (_name, before, after, changes) => expect(diffDocuments(doc(before), doc(after))).toEqual(changes));

  it('ignores metadata.environment and redacts secrets', () => {
    const before = { metadata: { name: 'db', environment: 'dev' }, spec: { password: 'old-secret', url: 'postgres://u:p1@h/db' } };
    const after = { metadata: { name: 'db', environment: 'development' }, spec: { password: 'new-secret', url: 'postgres://u:p2@h/db' } };
    expect(diffDocuments(before, after)).toEqual([
      { path: 'spec.password', op: 'modify', before: '«redacted»', after: '«redacted»' },
      { path: 'spec.url', op: 'modify', before: '«redacted»', after: '«redacted»' },
    ]);
  });
});

describe('diff of resource sets', () => {
  it('lists added, removed and modified resources by key, and counts the unchanged', () => {
    const d = diffResources(
      [res('a', doc({ x: 1 })), res('b', doc({ x: 1 })), res('c', doc({ x: 1 }))],
      [res('b', doc({ x: 2 })), res('c', doc({ x: 1 })), res('d', doc({ x: 1 }))],
    );
    expect(d.summary).toEqual({ added: 1, removed: 1, modified: 1, unchanged: 1 });
    expect(d.changes.map((c) => [c.key, c.action])).toEqual([
      ['Layer/a', 'remove'],
      ['Layer/b', 'modify'],
      ['Layer/d', 'add'],
    ]);
  });
});
