import { describe, expect, it } from 'vitest';
import { defaultPolicy, type EffectivePolicy } from '../../src/config/effective-policy.js';
import { evaluatePolicy, type PlanFacts, ruleMatches } from '../../src/policy/evaluate.js';

const facts = (patch: Partial<PlanFacts> = {}): PlanFacts => ({
  resourcesAdded: 1,
  resourcesRemoved: 0,
  resourcesModified: 0,
  breakingChanges: 0,
  migrations: 0,
  riskLevel: 'LOW',
  kindsChanged: ['Layer'],
  ...patch,
});
const now = new Date('2026-11-24T18:00:00Z');

describe('approval rules', () => {
  it.each([
    [{ resourcesRemoved: true }, facts({ resourcesRemoved: 2 }), 'resources removed (2)'],
    [{ resourcesRemoved: true }, facts(), undefined],
    [{ resourcesModified: '> 10' }, facts({ resourcesModified: 11 }), 'more than 10 resources modified (11)'],
    [{ resourcesModified: '> 10' }, facts({ resourcesModified: 10 }), undefined],
    [{ breakingChanges: true }, facts({ breakingChanges: 1 }), 'breaking changes (1)'],
    [{ riskLevel: 'HIGH' as const }, facts({ riskLevel: 'CRITICAL' }), 'risk CRITICAL (rule: HIGH or above)'],
    [{ riskLevel: 'HIGH' as const }, facts({ riskLevel: 'MEDIUM' }), undefined],
    [{ kinds: ['DataSource' as const] }, facts({ kindsChanged: ['DataSource', 'Layer'] }), 'DataSource changed'],
    [{ migrations: true, resourcesAdded: '>= 1' }, facts({ migrations: 1 }), 'at least 1 resources added (1) and migrations (1)'],
    [{ migrations: true, resourcesAdded: '>= 1' }, facts({ migrations: 0 }), undefined],
  ])('%j', (rule, f, expected) => expect(ruleMatches(rule, f)).toBe(expected));
});

describe('policy decisions', () => {
  it('development auto-approves', () => {
    const d = evaluatePolicy(facts(), defaultPolicy('development'), { now });
    expect(d.outcome).toBe('proceed');
    expect(d.approval.required).toBe(false);
  });

  it('production needs approval, and says which rules triggered', () => {
    const policy: EffectivePolicy = { ...defaultPolicy('production'), approvalRules: [{ resourcesRemoved: true }], approvers: ['team:gis-ops'] };
    const d = evaluatePolicy(facts({ resourcesRemoved: 1 }), policy, { now });
    expect(d.outcome).toBe('needs-approval');
    expect(d.approval.reasons).toEqual(['every deployment to production needs approval (built-in production default)', 'approval rule: resources removed (1)']);
    expect(d.approval.fourEyes).toBe(true);
  });

  it('an auto-approving environment still needs approval when a rule matches', () => {
    const policy: EffectivePolicy = { ...defaultPolicy('staging'), approvalRules: [{ resourcesModified: '> 10' }] };
    expect(evaluatePolicy(facts({ resourcesModified: 3 }), policy, { now }).outcome).toBe('proceed');
    const d = evaluatePolicy(facts({ resourcesModified: 12 }), policy, { now });
    expect(d.outcome).toBe('needs-approval');
    expect(d.reasons).toEqual(['approval rule: more than 10 resources modified (12)']);
  });

  it('denies breaking changes where they are not allowed, before anything else', () => {
    const d = evaluatePolicy(facts({ breakingChanges: 2 }), { ...defaultPolicy('production'), cooldownMs: 3_600_000 }, { now, lastDeploymentAt: now });
    expect(d.outcome).toBe('denied');
    expect(d.checks.find((c) => c.id === 'breaking-changes')?.status).toBe('fail');
  });

  it('blocks on the concurrency limit', () => {
    const d = evaluatePolicy(facts(), defaultPolicy('staging'), { now, activeDeployments: 1 });
    expect(d.outcome).toBe('blocked');
    expect(d.reasons[0]).toBe('1 deployment(s) already running; the limit is 1');
    expect(d.blockedUntil).toBeUndefined();
  });

  it('reports the cooldown left', () => {
    const d = evaluatePolicy(facts(), { ...defaultPolicy('staging'), cooldownMs: 600_000 }, { now, lastDeploymentAt: new Date(now.getTime() - 240_000) });
    expect(d.outcome).toBe('blocked');
    expect(d.cooldownRemainingMs).toBe(360_000);
    expect(d.blockedUntil).toBe('2026-11-24T18:06:00.000Z');
  });

  it('needs nothing when there is nothing to deploy', () => {
    const d = evaluatePolicy(facts({ resourcesAdded: 0, kindsChanged: [] }), defaultPolicy('production'), { now });
    expect(d.outcome).toBe('proceed');
    expect(d.reasons).toEqual(['nothing to deploy']);
  });
});
