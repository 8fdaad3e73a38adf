import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  checkApproval,
  DEPLOYMENT_STATES,
  type DeploymentRecord,
  dora,
  isApproved,
  isTerminal,
  matchesApprover,
  TRANSITIONS,
  type User,
  UsersFile,
} from '../../src/deploy/index.js';
import { tempDir } from '../helpers/repo.js';

const user = (name: string, teams: string[] = [], roles: string[] = []): User => ({
  name,
  email: `${name}@city.gov`,
  teams,
  roles,
  tokenSha256: '0'.repeat(64),
});

const awaiting = (patch: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  schemaVersion: 'honua.deployment/v1',
  id: 'prod-20261124180000-abc1234',
  kind: 'deploy',
  environment: 'production',
  state: 'AwaitingApproval',
  ref: 'HEAD',
  commit: 'abc1234abc1234abc1234abc1234abc1234abc12',
  author: { name: 'Ann Author', email: 'ann@city.gov' },
  requester: { name: 'rick', email: 'rick@city.gov', authenticated: true, via: 'cli' },
  createdAt: '2026-11-24T18:00:00.000Z',
  updatedAt: '2026-11-24T18:00:00.000Z',
  planDigest: 'sha256:aaa',
  decision: {
    environment: 'production',
    outcome: 'needs-approval',
    evaluatedAt: '2026-11-24T18:00:00.000Z',
    timezone: 'UTC',
    policyFiles: [],
    reasons: [],
    approval: { required: true, reasons: [], approvers: ['team:gis-ops', 'role:admin'], minApprovals: 2, fourEyes: true },
    checks: [],
  },
  approvals: [],
  migrationsApplied: [],
  migrationsReverted: [],
  steps: [],
  transitions: [],
  timings: {},
  ...patch,
});

const as = (u: User) => ({ name: u.name, email: u.email, authenticated: true, via: 'test' });
const now = new Date('2026-11-24T19:00:00Z');

describe('the transition table', () => {
  it('names every state, ends in the terminal ones, and refuses what it does not list', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...DEPLOYMENT_STATES].sort());
    expect(DEPLOYMENT_STATES.filter(isTerminal).sort()).toEqual(['Completed', 'Expired', 'Failed', 'Rejected', 'RolledBack']);
    for (const [from, tos] of Object.entries(TRANSITIONS)) for (const to of tos) expect(() => assertTransition(from as never, to, 'x')).not.toThrow();
    expect(() => assertTransition('Pending', 'Applying', 'prod-x')).toThrow(expect.objectContaining({ code: 'illegal-transition' }));
    expect(() => assertTransition('Completed', 'RollingBack', 'prod-x')).toThrow(/Completed to RollingBack/);
    // Nothing changes the database before a person approved what the policy asks them to.
    expect(TRANSITIONS.Planning).not.toContain('Applying');
    expect(TRANSITIONS.AwaitingApproval).not.toContain('Applying');
  });
});

describe('approvals', () => {
  it('match team:, role: and user: (name or email), case apart', () => {
    const jane = user('jane', ['GIS-Ops'], ['admin']);
    expect(matchesApprover(jane, 'team:gis-ops')).toBe(true);
    expect(matchesApprover(jane, 'role:admin')).toBe(true);
    expect(matchesApprover(jane, 'user:jane')).toBe(true);
    expect(matchesApprover(jane, 'jane@city.gov')).toBe(true);
    expect(matchesApprover(jane, 'team:parks')).toBe(false);
    expect(matchesApprover(jane, 'nonsense')).toBe(false);
  });

  it('need an identity, an approver, and a second person (four-eyes); count distinct people for the current plan only', () => {
    const r = awaiting();
    const jane = user('jane', ['gis-ops']);
    const bob = user('bob', [], ['admin']);
    expect(() => checkApproval(r, { decision: 'approved', actor: { name: 'x', authenticated: false, via: 'cli' }, now })).toThrow(
      expect.objectContaining({ code: 'unauthenticated' }),
    );
    expect(() => checkApproval(r, { decision: 'approved', user: user('pat'), actor: as(user('pat')), now })).toThrow(
      expect.objectContaining({ code: 'not-an-approver' }),
    );
    const ann = { ...user('ann', ['gis-ops']), email: 'ann@city.gov' };
    expect(() => checkApproval(r, { decision: 'approved', user: ann, actor: as(ann), now })).toThrow(expect.objectContaining({ code: 'four-eyes' }));
    const rick = user('rick', ['gis-ops']);
    expect(() => checkApproval(r, { decision: 'approved', user: rick, actor: as(rick), now })).toThrow(expect.objectContaining({ code: 'four-eyes' }));
    r.approvals.push(checkApproval(r, { decision: 'approved', user: jane, actor: as(jane), now }));
    expect(isApproved(r)).toBe(false); // two are needed
    expect(() => checkApproval(r, { decision: 'approved', user: jane, actor: as(jane), now })).toThrow(expect.objectContaining({ code: 'already-approved' }));
    r.approvals.push(checkApproval(r, { decision: 'approved', user: bob, actor: as(bob), now }));
    expect(isApproved(r)).toBe(true);
    expect(r.approvals.map((a) => a.as)).toEqual(['team:gis-ops', 'role:admin']);
    // A different plan: the approvals do not carry over.
    expect(isApproved({ ...r, planDigest: 'sha256:bbb' })).toBe(false);
  });

  it('expire at their deadline, and only a waiting deployment takes one', () => {
    const late = awaiting({ approvalDeadline: '2026-11-24T18:30:00.000Z' });
    const jane = user('jane', ['gis-ops']);
    expect(() => checkApproval(late, { decision: 'approved', user: jane, actor: as(jane), now })).toThrow(
      expect.objectContaining({ code: 'approval-expired' }),
    );
    expect(() => checkApproval(awaiting({ state: 'Completed' }), { decision: 'approved', user: jane, actor: as(jane), now })).toThrow(
      expect.objectContaining({ code: 'not-awaiting-approval' }),
    );
  });
});

describe('the users file', () => {
  it('adds a user with a token it stores only as a hash, identifies by token, removes', async () => {
    const file = `${await tempDir()}/users.yaml`;
    const users = new UsersFile(file);
    const { token, user: jane } = await users.add({ name: 'jane', email: 'jane@city.gov', teams: ['gis-ops'] }, now);
    expect(token).toMatch(/^honua_[A-Za-z0-9_-]{43}$/);
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(jane.tokenSha256);
    expect((await users.identify(token)).name).toBe('jane');
    await expect(users.identify(`${token}x`)).rejects.toMatchObject({ code: 'unknown-token' });
    await expect(users.add({ name: 'Jane', email: 'j2@city.gov' }, now)).rejects.toMatchObject({ code: 'user-exists' });
    await expect(users.add({ name: 'x y', email: 'not-an-email' }, now)).rejects.toMatchObject({ code: 'bad-user' });
    await users.remove('jane');
    await expect(users.identify(token)).rejects.toMatchObject({ code: 'unknown-token' });
    await expect(users.remove('jane')).rejects.toMatchObject({ code: 'unknown-user' });
  });
});

describe('DORA figures', () => {
  const rec = (id: string, state: DeploymentRecord['state'], created: string, finished: string, commitTime?: string, applied = true): DeploymentRecord =>
    ({
      ...awaiting({ id, state, createdAt: created, finishedAt: finished, updatedAt: finished }),
      ...(commitTime ? { commitTime } : {}),
      transitions: applied ? [{ from: 'BackingUp', to: 'Applying', at: created, actor: 'x', reason: '' }] : [],
    }) as DeploymentRecord;
  it('counts deployments per day, the change failure rate, the time to recover and the lead time', () => {
    const history = [
      rec('a', 'Completed', '2026-11-20T10:00:00Z', '2026-11-20T10:01:00Z', '2026-11-20T09:00:00Z'),
      rec('b', 'RolledBack', '2026-11-21T10:00:00Z', '2026-11-21T10:02:00Z'),
      rec('c', 'Completed', '2026-11-21T12:00:00Z', '2026-11-21T12:01:00Z', '2026-11-21T11:01:00Z'),
      rec('d', 'Failed', '2026-11-22T10:00:00Z', '2026-11-22T10:00:01Z', undefined, false), // failed before changing anything
      rec('old', 'Completed', '2026-09-01T10:00:00Z', '2026-09-01T10:01:00Z'),
    ];
    const d = dora(history, new Date('2026-11-24T00:00:00Z'));
    expect(d.deployments).toBe(2);
    expect(d.deploymentsPerDay).toBe(0.067);
    expect(d.changeFailureRate).toBe(0.333);
    expect(d.meanTimeToRecoverMs).toBe(2 * 3600_000 - 60_000);
    expect(d.leadTimeMs).toEqual({ median: 3600_000, p90: 3660_000 });
    expect(dora([], new Date())).toMatchObject({ deployments: 0, changeFailureRate: null, meanTimeToRecoverMs: null, leadTimeMs: null });
  });
});
