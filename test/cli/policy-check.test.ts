import { describe, expect, it } from 'vitest';
import { honua } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { SAMPLE } from '../helpers/repo.js';

/** `honua policy-check --at ...` on the sample repository (production: Tue-Thu 09:00-17:00 America/Los_Angeles, year-end freeze, 1h cooldown). */
const check = (env: string, ...args: string[]) => honua(['policy-check', '--repo', SAMPLE, '-e', env, '--json', ...args]);
/** The decision of a --json report, after checking the report against its published schema. */
const decision = (stdout: string) => {
  const report = JSON.parse(stdout);
  expect(schemaErrors('policy-check-report', report)).toEqual([]);
  expect(report.schemaVersion).toBe('honua.policy-check/v1');
  return report.decision;
};

describe('honua policy-check', () => {
  it('development: proceeds, no approval', async () => {
    const r = await check('development', '--at', '2026-11-28T12:00:00Z');
    expect(r.code).toBe(0);
    expect(decision(r.stdout)).toMatchObject({ outcome: 'proceed', approval: { required: false } });
  });

  it('production inside the window: needs approval, with the reason and the approvers', async () => {
    const r = await check('production', '--at', '2026-11-24T10:00:00-08:00');
    expect(r.code).toBe(3);
    const d = decision(r.stdout);
    expect(d.outcome).toBe('needs-approval');
    expect(d.approval.reasons[0]).toMatch(/every deployment to production needs approval/);
    expect(d.approval.approvers).toEqual(['team:gis-ops', 'role:admin']);
    expect(d.checks.find((c: { id: string }) => c.id === 'deployment-window').status).toBe('pass');
  });

  it('a Saturday before the fall-back change: blocked until Tuesday 09:00 PST (17:00Z, not 16:00Z)', async () => {
    const r = await check('production', '--at', '2026-10-31T10:00:00-07:00');
    expect(r.code).toBe(3);
    const d = decision(r.stdout);
    expect(d).toMatchObject({ outcome: 'blocked', blockedUntil: '2026-11-03T17:00:00.000Z', blockedUntilLocal: 'Tue 2026-11-03 09:00 PST' });
    const human = await honua(['policy-check', '--repo', SAMPLE, '-e', 'production', '--at', '2026-10-31T10:00:00-07:00']);
    expect(human.stdout).toContain('✗ Outside deployment window (Tue, Wed, Thu 09:00-17:00 America/Los_Angeles)');
    expect(human.stdout).toContain('next allowed: Tue 2026-11-03 09:00 PST');
  });

  it('in the year-end blackout: blocked until the freeze ends and the window opens', async () => {
    const r = await check('production', '--at', '2026-12-22T10:00:00-08:00');
    expect(r.code).toBe(3);
    const d = decision(r.stdout);
    expect(d.outcome).toBe('blocked');
    expect(d.reasons[0]).toMatch(/^In blackout "year-end-freeze" until Tue 2027-01-05 00:00 PST/);
    expect(d.blockedUntil).toBe('2027-01-05T17:00:00.000Z');
  });

  it('in the cooldown after a deployment: blocked for the time left', async () => {
    const r = await check('production', '--at', '2026-11-24T10:00:00-08:00', '--last-deployment', '2026-11-24T09:20:00-08:00');
    expect(r.code).toBe(3);
    const d = decision(r.stdout);
    expect(d).toMatchObject({ outcome: 'blocked', cooldownRemainingMs: 20 * 60_000, blockedUntil: '2026-11-24T18:20:00.000Z' });
  });

  it('a bad --at is a usage error', async () => {
    const r = await honua(['policy-check', '--repo', SAMPLE, '-e', 'production', '--at', 'next tuesday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at "next tuesday" is not an ISO 8601 time/);
  });
});
