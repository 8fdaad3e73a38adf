import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../src/plan/formats.js';
import { assessRisk } from '../../src/plan/risk.js';

const change = (action: ResourceChange['action'], kind: ResourceChange['kind'] = 'Layer', fields: ResourceChange['fields'] = []): ResourceChange => ({
  kind,
  name: `${kind}-${action}`,
  key: `${kind}/${action}`,
  action,
  fields,
});

describe('risk', () => {
  it.each([
    ['nothing', 'development', [], [], [], 'LOW'],
    ['an added layer in development', 'development', [change('add')], [], [], 'LOW'],
    ['an added layer in production', 'production', [change('add')], [], [], 'MEDIUM'],
    ['a migration (seed 004: LOW in dev)', 'development', [], [], [{ name: '003', reversible: true }], 'LOW'],
    ['a migration without down', 'development', [], [], [{ name: '004', reversible: false }], 'MEDIUM'],
    ['11 modified resources', 'staging', Array.from({ length: 11 }, () => change('modify')), [], [], 'MEDIUM'],
    ['a datasource change', 'staging', [change('modify', 'DataSource')], [], [], 'MEDIUM'],
    ['a removal', 'staging', [change('remove')], [], [], 'HIGH'],
    [
      'a breaking change in staging',
      'staging',
      [change('modify')],
      [{ code: 'field-removed' as const, kind: 'Layer' as const, key: 'k', message: 'm' }],
      [],
      'HIGH',
    ],
    [
      'a breaking change in production',
      'production',
      [change('modify')],
      [{ code: 'field-removed' as const, kind: 'Layer' as const, key: 'k', message: 'm' }],
      [],
      'CRITICAL',
    ],
  ])('%s', (_n, environment, changes, breakingChanges, migrations, level) => {
    const r = assessRisk({ environment, changes, breakingChanges, migrations });
    expect(r.level).toBe(level);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('explains itself, highest reason first', () => {
    const r = assessRisk({ environment: 'production', changes: [change('add'), change('remove')], breakingChanges: [], migrations: [] });
    expect(r.reasons).toEqual(['1 resource removed: Layer/remove', 'production environment', '1 resource added']);
  });

  it('raises for lint findings', () => {
    expect(
      assessRisk({
        environment: 'development',
        changes: [],
        breakingChanges: [],
        migrations: [{ name: 'x', reversible: true }],
        lintFindings: [{ code: 'ban-drop-table', severity: 'error', migration: 'x' }],
      }).level,
    ).toBe('HIGH');
  });
});
