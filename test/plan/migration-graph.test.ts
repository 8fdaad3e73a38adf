import { describe, expect, it } from 'vitest';
import { buildMigrationGraph, compareIds, pendingMigrations } from '../../src/config/migration-graph.js';

const m = (id: string, deps: string[] = [], name = `${id}_m`) => ({ id, name, dependencies: deps });

describe('migration graph', () => {
  it('orders by dependencies, then by id numerically', () => {
    const g = buildMigrationGraph([m('10'), m('2'), m('3', ['10']), m('1')]);
    expect(g.order.map((x) => x.id)).toEqual(['1', '2', '10', '3']);
    expect(g.problems).toEqual([]);
  });

  it('resolves dependencies by id or full name', () => {
    const g = buildMigrationGraph([m('002', ['001_initial']), m('001', [], '001_initial'), m('003', ['002'])]);
    expect(g.order.map((x) => x.name)).toEqual(['001_initial', '002_m', '003_m']);
  });

  it('finds missing dependencies, with a suggestion', () => {
    const g = buildMigrationGraph([m('001', [], '001_initial'), m('002', ['001_init'])]);
    expect(g.problems).toEqual([{ type: 'missing', migration: m('002', ['001_init']), dependency: '001_init', suggestion: '001_initial' }]);
  });

  it('finds cycles and leaves them out of the order', () => {
    const g = buildMigrationGraph([m('1'), m('2', ['4']), m('3', ['2']), m('4', ['3'])]);
    expect(g.order.map((x) => x.id)).toEqual(['1']);
    const cycles = g.problems.filter((p) => p.type === 'cycle');
    expect(cycles).toHaveLength(1);
    expect((cycles[0] as { migrations: Array<{ id: string }> }).migrations.map((x) => x.id).sort()).toEqual(['2', '3', '4']);
  });

  it('finds a migration depending on itself and duplicate ids', () => {
    const g = buildMigrationGraph([m('1', ['1']), m('2'), m('2', [], 'other')]);
    expect(g.problems.map((p) => p.type).sort()).toEqual(['cycle', 'duplicate']);
  });

  it('lists pending migrations in order given the applied ones, and those that cannot run', () => {
    const g = buildMigrationGraph([m('001'), m('002', ['001']), m('003', ['002']), m('004')]);
    expect(pendingMigrations(g, ['001', '004']).pending.map((x) => x.id)).toEqual(['002', '003']);
    expect(pendingMigrations(g, ['001_m']).pending.map((x) => x.id)).toEqual(['002', '003', '004']);
    const cyclic = buildMigrationGraph([m('001'), m('002', ['003']), m('003', ['002']), m('004', ['003'])]);
    expect(pendingMigrations(cyclic, [])).toEqual({ pending: [m('001')], blocked: [m('002', ['003']), m('003', ['002']), m('004', ['003'])] });
  });

  it('compares ids naturally', () => {
    expect(['10', '9', '010a', 'b', '2'].sort(compareIds)).toEqual(['2', '9', '10', '010a', 'b']);
  });
});

describe('numeric dependencies', () => {
  it('YAML reads an unquoted 002 as 2; it still finds migration "002", and "0042" finds "42"', () => {
    const g = buildMigrationGraph([m('003', ['2']), m('002'), m('42'), m('100', ['0042'])]);
    expect(g.problems).toEqual([]);
    expect(g.order.map((x) => x.id)).toEqual(['002', '003', '42', '100']);
  });
});
