import { describe, expect, it } from 'vitest';
import { overlay } from '../../src/config/overlay.js';
import { validateRepo } from '../../src/config/validate.js';
import { DOC, load, repoOf } from '../helpers/repo.js';

describe('overlay', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: 9 } }, { a: 1, b: { c: 9, d: 3 } }],
    [{ list: [1, 2, 3] }, { list: [4] }, { list: [4] }],
    [{ a: 1, b: 2 }, { b: null }, { a: 1 }],
    [{ a: { x: 1 } }, { a: 'flat' }, { a: 'flat' }],
  ])('%j under %j', (base, over, expected) => expect(overlay(base, over)).toEqual(expected));

  it('overlays environments/common under each environment by kind and name, and positions problems in the right file', async () => {
    const dir = await repoOf({
      'environments/common/datasources.yaml': DOC.dataSource(),
      'environments/common/services.yaml': DOC.service(),
      'environments/common/layers/roads.yaml': DOC.layer(),
      'environments/development/layers/roads.yaml':
        'apiVersion: honua.io/v1\nkind: Layer\nmetadata:\n  name: roads\n  service: transport\nspec:\n  ogc:\n    itemLimit: 50\n',
      'environments/production/layers/roads.yaml':
        'apiVersion: honua.io/v1\nkind: Layer\nmetadata:\n  name: roads\n  service: transport\nspec:\n  geometryType: Linestring\n',
      'policies/production-policy.yaml':
        'apiVersion: honua.io/v1\nkind: DeploymentPolicy\nmetadata: {name: p, environment: production}\nspec: {approval: {required: true}}\n',
    });
    const { report, states } = validateRepo(await load(dir));
    expect(states.get('development')?.layers[0]).toMatchObject({ id: 'transport::roads', itemLimit: 50, geometryType: 'LineString' });
    expect(report.problems).toMatchObject([
      { code: 'invalid-value', file: 'environments/production/layers/roads.yaml', line: 7, environment: 'production', hint: 'Did you mean "LineString"?' },
    ]);
    const dev = states.get('development');
    expect(dev?.resources.find((r) => r.kind === 'Layer')).toMatchObject({
      file: 'environments/common/layers/roads.yaml',
      overlay: 'environments/development/layers/roads.yaml',
    });
  });
});
