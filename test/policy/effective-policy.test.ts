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

describe('policy details', () => {
  it('a date-only blackout is midnight in the policy zone even when written in another file', async () => {
    const { repoOf, load, minimalRepo } = await import('../helpers/repo.js');
    const dir = await repoOf({
      ...minimalRepo('production'),
      'policies/production-policy.yaml':
        'apiVersion: honua.io/v1\nkind: DeploymentPolicy\nmetadata: {name: p, environment: production}\nspec:\n  deploymentWindow: {timezone: America/Chicago}\n',
      '.gitops/deployment-policy.yaml':
        'apiVersion: honua.io/v1\nkind: DeploymentPolicy\nenvironments:\n  production:\n    blackoutPeriods:\n      - {start: "2026-12-24", end: "2026-12-26"}\n',
    });
    const { states } = validateRepo(await load(dir));
    expect(states.get('production')!.policy.blackouts).toEqual([{ start: '2026-12-24T06:00:00.000Z', end: '2026-12-26T06:00:00.000Z' }]);
  });

  it('a blackout that ends before it starts is an error', async () => {
    const { repoOf, load, minimalRepo } = await import('../helpers/repo.js');
    const dir = await repoOf({
      ...minimalRepo('production'),
      'policies/production-policy.yaml':
        'apiVersion: honua.io/v1\nkind: DeploymentPolicy\nmetadata: {name: p, environment: production}\nspec:\n  blackoutPeriods:\n    - {start: "2026-12-26", end: "2026-12-24"}\n',
    });
    const { report } = validateRepo(await load(dir));
    expect(report.problems).toMatchObject([{ code: 'bad-datetime', line: 6, message: expect.stringContaining('ends (2026-12-24) before it starts') }]);
  });

  it('a validation block that lists only post-deployment checks keeps the default pre-deployment ones', async () => {
    const { states } = validateRepo(await load(SAMPLE));
    expect(states.get('staging')!.policy.validation).toEqual({
      preDeployment: ['syntaxCheck', 'policyCheck', 'breakingChangeDetection'],
      postDeployment: ['healthCheck', 'ogcConformance'],
    });
  });
});
