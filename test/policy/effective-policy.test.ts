import { describe, expect, it } from 'vitest';
import { validateRepo } from '../../src/config/validate.js';
import { load, SAMPLE } from '../helpers/repo.js';

describe('effective policy of the sample', () => {
  it('merges .gitops/deployment-policy.yaml and policies/<env>-policy.yaml per environment', async () => {
    const { report, states } = validateRepo(await load(SAMPLE));
    expect(report.problems).toEqual([]);
    const prod = states.get('production')!.policy;
    expect(prod).toMatchObject({
      sources: ['.gitops/deployment-policy.yaml', 'policies/production-policy.yaml'],
      autoApprove: false,
      allowBreakingChanges: false,
      approvalRules: [{ resourcesRemoved: true }, { resourcesModified: '> 10' }, { breakingChanges: true }],
      approvers: ['team:gis-ops', 'role:admin'],
      approvalTimeoutMs: 86_400_000,
      window: { days: [2, 3, 4], hours: [{ start: 540, end: 1020 }], timezone: 'America/Los_Angeles' },
      cooldownMs: 3_600_000,
      maxConcurrentDeployments: 1,
      requireBackup: true,
      healthCheckTimeoutMs: 300_000,
      rollback: { automatic: true, timeoutMs: 300_000, healthCheckIntervalMs: 30_000 },
      blackouts: [{ name: 'year-end-freeze', start: '2026-12-21T08:00:00.000Z', end: '2027-01-05T08:00:00.000Z' }],
    });
    expect(states.get('development')!.policy).toMatchObject({ sources: ['.gitops/deployment-policy.yaml'], autoApprove: true, allowBreakingChanges: true });
    expect(states.get('staging')!.policy).toMatchObject({ autoApprove: true, cooldownMs: 600_000 });
  });
});
