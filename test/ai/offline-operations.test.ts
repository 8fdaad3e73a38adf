import { describe, expect, test } from 'vitest';
import { runTurn } from '../../src/ai/agent-loop.js';
import { OfflinePlanner, type PlannerSurface } from '../../src/ai/offline/planner.js';
import type { Message } from '../../src/ai/providers/provider.js';
import type { Engine } from '../../src/engine/index.js';
import { HonuaError } from '../../src/errors/index.js';
import { type Confirmer, MemoryAuditLog, noConfirmer, Redactor, type SessionMode } from '../../guardrails/index.js';
import type { AnyTool } from '../../tools/define-tool.js';
import { TOOLS } from '../../tools/registry.js';
import { ToolRunner } from '../../tools/tool-runner.js';

/**
 * The offline planner's flows for pull requests, reviews, promotions, operations and questions
 * about what runs — driven through the real runner (gate, confirmations, schemas, audit) over the
 * real tool definitions, each with a scripted handler that returns what the engine would. The
 * outputs are checked against the tools' own output schemas, so the fixtures stay realistic; the
 * end-to-end flows against a repository and a database are tested elsewhere.
 */

const ID = 'production-20261208100000-ab12cd3';
const FAILED_ID = 'production-20261201090000-dd44ee5';

function deployment(over: Record<string, unknown> = {}) {
  return {
    id: ID,
    kind: 'deploy',
    environment: 'production',
    state: 'AwaitingApproval',
    commit: 'ab12cd34ef56',
    ref: 'HEAD',
    requestedBy: 'tester via consultant',
    createdAt: '2026-12-08T10:00:00.000Z',
    risk: 'MEDIUM',
    approvals: [],
    approvers: ['alice'],
    migrationsApplied: [],
    migrationsReverted: [],
    next: `It waits for an approver (alice) to approve it: \`honua deployment approve ${ID}\` (or reject it with \`honua deployment reject ${ID}\`). The consultant cannot approve.`,
    ...over,
  };
}

const ENVIRONMENTS = {
  repository: '/repo',
  environments: ['development', 'staging', 'production'].map((name) => ({
    name,
    folder: name,
    valid: true,
    dataSources: [{ name: 'main', type: 'postgis' }],
    services: ['planning'],
    layers: ['planning::parks'],
    migrations: ['003_optimize_bike_lanes'],
    policy: { autoApprove: name !== 'production', approvers: name === 'production' ? ['alice'] : [], window: name === 'production' },
  })),
};

const REVIEW = {
  schemaVersion: 'honua.review/v1',
  target: { kind: 'deployment', ref: ID, commit: 'ab12cd34ef56', environment: 'production' },
  verdict: 'needs-attention',
  summary: 'production: 0 added, 1 modified, 0 removed, 1 migration; risk MEDIUM; 0 errors, 1 warning; policy: needs-approval',
  changes: { added: 0, modified: 1, removed: 0, migrations: 1 },
  risk: { level: 'MEDIUM', reasons: ['a migration changes the database'] },
  breakingChanges: [],
  findings: [
    {
      severity: 'warning',
      source: 'lint',
      message: '003_optimize_bike_lanes: CREATE INDEX without CONCURRENTLY locks bike_lanes',
      fix: 'Create the index CONCURRENTLY.',
      migration: '003_optimize_bike_lanes',
      code: 'index-not-concurrent',
    },
  ],
  policy: {
    outcome: 'needs-approval',
    reasons: ['production needs a human approval'],
    approvalRequired: true,
    approvers: ['alice'],
    howToApprove: 'An approver (alice) runs honua deployment approve <id> once the deployment waits for approval; the consultant cannot approve.',
  },
  backups: { required: true, note: 'The deployment takes a fresh backup before the migrations.' },
  rollback: { automatic: true, migrations: [{ id: '003', name: '003_optimize_bike_lanes', hasDown: true }], note: 'Every migration has down steps.' },
  healthChecks: { will: ['the OGC API probe of the collections'], willNot: ['whether the data is right (values, completeness)'] },
};

const INCIDENT = {
  schemaVersion: 'honua.incident/v1',
  id: `INC-${FAILED_ID}`,
  deployment: FAILED_ID,
  environment: 'production',
  commit: 'dd44ee55aa66',
  status: 'ROLLED BACK',
  reason: 'the health check bike-lanes-latency failed: 2300 ms over a 500 ms budget',
  phase: 'verify',
  evidence: [{ check: 'bike-lanes-latency', source: 'layer', detail: '2300 ms (budget 500 ms)', passed: false }],
  timeline: [{ at: '2026-12-01T09:05:00.000Z', state: 'RolledBack', reason: 'a check failed' }],
  undone: ['reverted migration 003_optimize_bike_lanes'],
  leftIn: 'RolledBack',
  quarantined: true,
  durationMs: 300000,
  recommendations: ['Build indexes with CREATE INDEX CONCURRENTLY so a slow build does not block the table.'],
};

const STATUS = {
  schemaVersion: 'honua.environment-status/v1',
  environment: 'production',
  deployedCommit: 'ab12cd34ef56',
  desiredCommit: 'ab12cd34ef56',
  sync: 'Synced',
  syncReason: 'the active snapshot is HEAD',
  health: 'Healthy',
  lastDeployment: {
    id: ID,
    kind: 'deploy',
    state: 'Completed',
    commit: 'ab12cd34ef56',
    createdAt: '2026-12-08T10:00:00.000Z',
    by: { name: 'alice', authenticated: true, via: 'cli' },
  },
  inProgress: [],
  quarantined: [],
  dora: { windowDays: 30, deployments: 4, deploymentsPerDay: 0.13, changeFailureRate: 0.25, meanTimeToRecoverMs: null, leadTimeMs: null },
  store: 'directory',
};

const OUTSIDE = 'next-tuesday 07:00';
const outsideWindow = (at: string) =>
  new HonuaError('outside-window', `Tue 2026-12-08 07:00 PST is outside what the production policy allows: outside the window Tue-Thu 09:00-16:00`, {
    hint: `The next allowed slot is Tue 2026-12-08 09:00 PST (2026-12-08T17:00:00.000Z).`,
    data: { requested: at },
  });

type Handler = (args: Record<string, unknown>) => unknown;

/** What each tool returns (or throws), as the engine would. A test overrides the ones it needs. */
const HANDLERS: Record<string, Handler> = {
  list_environments: () => ENVIRONMENTS,
  list_tables: () => ({
    database: { kind: 'postgresql', serverVersion: '17.2', postgisVersion: '3.5' },
    tables: [
      {
        table: 'public.parks',
        kind: 'table',
        estimatedRows: 120,
        primaryKey: ['id'],
        geometry: [{ column: 'geom', type: 'MultiPolygon', srid: 4326, spatialIndex: true }],
        comment: null,
        findings: [],
      },
    ],
    summary: { tables: 1, views: 0, geometryColumns: 1, missingSpatialIndex: [], invalidIndexes: [] },
  }),
  generate_layer: () => ({
    draftId: 'layer-parks',
    collectionId: 'planning::parks-2',
    table: 'public.parks',
    service: 'planning',
    files: [{ path: 'environments/common/layers/parks-2.yaml', content: 'kind: Layer' }],
    notes: [],
    validation: { valid: true, repositoryValid: true, problems: [], otherErrors: 0 },
    matchesDatabase: true,
    mismatches: [],
  }),
  write_proposal: (a) => ({
    branch: a.branch,
    commit: '0123456789abcdef',
    base: { commit: 'fedcba9876543210', branch: 'main' },
    files: [{ path: 'environments/common/layers/parks-2.yaml', status: 'new', added: 20, removed: 0 }],
    pushedTo: ['origin'],
    validation: { valid: true, repositoryValid: true, problems: [], otherErrors: 0 },
    notes: [],
  }),
  open_pull_request: (a) => ({
    opened: true,
    branch: a.branch,
    base: 'main',
    number: 42,
    url: 'https://github.com/city/gis-config/pull/42',
    labels: ['honua', 'risk:low'],
    risk: 'LOW',
    warnings: [],
  }),
  review_plan: () => REVIEW,
  propose_promotion: (a) => ({
    from: a.from,
    to: a.to,
    branch: 'honua/promote-staging-to-production-202612011000',
    commit: '89abcdef01234567',
    files: [{ path: 'environments/production/layers/parks.yaml', status: 'modified' }],
    receives: { added: [], modified: ['planning::parks'], removed: [] },
    kept: [],
    pushedTo: ['origin'],
    pullRequest: {
      opened: false,
      branch: 'honua/promote-staging-to-production-202612011000',
      base: 'main',
      labels: ['honua', 'risk:low'],
      risk: 'LOW',
      warnings: [],
      reason: 'no GITHUB_TOKEN or GH_TOKEN is set',
      compareUrl: 'https://github.com/city/gis-config/compare/main...honua/promote-staging-to-production-202612011000?expand=1',
      howTo: 'Open https://github.com/city/gis-config/compare/main...honua/promote-staging-to-production-202612011000?expand=1, or set GITHUB_TOKEN',
    },
  }),
  schedule_deployment: (a) => {
    if (a.at === OUTSIDE) throw outsideWindow(String(a.at));
    return deployment({
      state: 'AwaitingApproval',
      ref: String(a.ref ?? 'HEAD'),
      scheduledFor: '2026-12-08T17:00:00.000Z',
      notBefore: '2026-12-08T17:00:00.000Z',
    });
  },
  request_deployment: (a) =>
    deployment({
      environment: a.environment,
      ...(a.environment === 'staging' ? { state: 'Completed', approvers: undefined, next: 'It is deployed and verified.' } : {}),
    }),
  request_rollback: (a) =>
    deployment({
      id: `${a.environment}-20261208120000-99aa88b`,
      kind: 'rollback',
      environment: a.environment,
      state: 'Completed',
      approvers: undefined,
      migrationsReverted: ['003_optimize_bike_lanes'],
      next: 'It is deployed and verified.',
      undone: [ID],
      revertedMigrations: ['003_optimize_bike_lanes'],
    }),
  request_restore: (a) =>
    deployment({
      kind: 'restore',
      environment: a.environment,
      state: 'Completed',
      approvers: undefined,
      next: 'It is deployed and verified.',
      backup: a.backupId,
    }),
  list_backups: (a) => ({
    environment: a.environment ?? 'development',
    backups: [{ id: 'production-20261208060000', createdAt: '2026-12-08T06:00:00.000Z', ageHours: 4, kind: 'pg_dump', tables: 12 }],
  }),
  deployment_status: () => ({ environments: [STATUS] }),
  list_deployments: (a) => ({
    environment: a.environment,
    deployments:
      a.outcome === 'failed'
        ? a.environment === 'production'
          ? [
              deployment({
                id: FAILED_ID,
                state: 'RolledBack',
                commit: 'dd44ee55aa66',
                createdAt: '2026-12-01T09:00:00.000Z',
                approvers: undefined,
                next: 'It failed its checks and was rolled back.',
              }),
            ]
          : []
        : [
            deployment(),
            deployment({
              id: FAILED_ID,
              state: 'RolledBack',
              createdAt: '2026-12-01T09:00:00.000Z',
              approvers: undefined,
              next: 'It failed its checks and was rolled back.',
            }),
          ],
  }),
  read_incident: () => INCIDENT,
  show_deployment: () => ({
    ...deployment(),
    plan: {
      summary: '0 added, 1 modified, 0 removed, 1 migration(s), 0 breaking',
      riskReasons: ['a migration changes the database'],
      migrations: ['003_optimize_bike_lanes'],
      policy: { outcome: 'needs-approval', reasons: ['production needs a human approval'] },
    },
    transitions: [{ at: '2026-12-08T10:00:01.000Z', from: 'Pending', to: 'AwaitingApproval', reason: 'the policy needs an approval' }],
    checks: [],
  }),
  environment_health: (a) => ({
    environment: a.environment,
    healthy: false,
    checks: [
      { name: 'ogc-probe', source: 'probe', passed: true, detail: 'landing page, collections, items' },
      { name: 'parks-count', source: 'layer', passed: false, detail: 'expected > 100 rows, got 0' },
    ],
    status: { sync: 'Synced', health: 'Degraded', deployedCommit: 'ab12cd34ef56' },
  }),
};

/** The real tools, each answering from its handler; previews (checked before anyone is asked) fail as the handler does. */
function scripted(handlers: Record<string, Handler>): AnyTool[] {
  return TOOLS.map((tool) => {
    const handler = handlers[tool.name];
    const run = async (input: Record<string, unknown>) => {
      if (!handler) throw new HonuaError('internal-error', `no handler for ${tool.name} in this test`);
      return handler(input);
    };
    return {
      ...tool,
      ...(tool.preview
        ? {
            preview: async (input: Record<string, unknown>) => {
              // schedule_deployment refuses a time outside the window in its preview, before anyone is asked.
              if (tool.name === 'schedule_deployment') await run(input);
              return { summary: `${tool.title}.` };
            },
          }
        : {}),
      run: (input: Record<string, unknown>) => run(input),
    } as AnyTool;
  });
}

function session(mode: SessionMode, options: { confirm?: boolean | 'nobody'; surface?: PlannerSurface; handlers?: Record<string, Handler> } = {}) {
  const asked: string[] = [];
  const answer = options.confirm ?? true;
  const confirmer: Confirmer =
    answer === 'nobody'
      ? noConfirmer
      : {
          kind: 'test',
          confirm: async (r) => {
            asked.push(r.tool);
            return answer ? { confirmed: true, by: 'tester' } : { confirmed: false, reason: 'the tester said no', by: 'tester' };
          },
        };
  const runner = new ToolRunner({
    tools: scripted({ ...HANDLERS, ...options.handlers }),
    engine: {} as Engine,
    mode,
    confirmer,
    audit: new MemoryAuditLog(),
    redactor: new Redactor(),
    actor: 'tester',
    via: 'test',
    sessionId: 'ops1',
  });
  const planner = new OfflinePlanner(options.surface ?? { kind: 'chat' });
  const history: Message[] = [];
  const ask = async (text: string) => {
    history.push({ role: 'user', content: text });
    const r = await runTurn({ provider: planner, runner, system: '', history });
    history.push(...r.added);
    return { ...r, calls: r.toolCalls.map((c) => c.name) };
  };
  return { ask, asked };
}

describe('offline planner: pull requests', () => {
  test.each([
    ['propose a layer for the parks table', { kind: 'chat' } as PlannerSurface],
    ['add a layer for parks and open a PR', { kind: 'chat' } as PlannerSurface],
    ['add a layer for parks', { kind: 'chat', pullRequest: true } as PlannerSurface],
  ])('%j (surface %j): the proposal, then a pull request from its branch, and the URL', async (request, surface) => {
    const s = session('propose', { surface });
    const r = await s.ask(request);
    expect(r.calls).toEqual(['list_tables', 'generate_layer', 'write_proposal', 'open_pull_request']);
    expect(r.toolCalls.at(-1)?.arguments).toMatchObject({ branch: 'feature/add-parks-2-layer', title: 'Add planning::parks-2 layer from parks' });
    expect(r.text).toMatch(/Created proposal: feature\/add-parks-2-layer/);
    expect(r.text).toContain('Pull request #42: https://github.com/city/gis-config/pull/42');
    expect(r.outcome).toBe('done');
  });

  test('without a pull request asked for, none is opened', async () => {
    const r = await session('propose').ask('add a layer for parks');
    expect(r.calls).toEqual(['list_tables', 'generate_layer', 'write_proposal']);
  });

  test('not opened (no token): the reason and how to open it', async () => {
    const s = session('propose', {
      handlers: {
        open_pull_request: (a) => ({
          opened: false,
          branch: a.branch,
          base: 'main',
          labels: ['honua', 'risk:low'],
          risk: 'LOW',
          warnings: [],
          reason: 'no GITHUB_TOKEN or GH_TOKEN is set',
          compareUrl: 'https://github.com/city/gis-config/compare/main...feature/add-parks-2-layer?expand=1',
          howTo: 'Open https://github.com/city/gis-config/compare/main...feature/add-parks-2-layer?expand=1, or set GITHUB_TOKEN and run again',
        }),
      },
    });
    const r = await s.ask('propose a layer for parks');
    expect(r.text).toMatch(
      /No pull request was opened: no GITHUB_TOKEN or GH_TOKEN is set\.\nTo open it: Open https:\/\/github\.com\/city\/gis-config\/compare\/main\.\.\.feature\/add-parks-2-layer/,
    );
  });
});

describe('offline planner: review', () => {
  test('a deployment: the verdict, every finding with its fix, the policy, the ways back, what the checks catch', async () => {
    const r = await session('read-only').ask(`review deployment ${ID}`);
    expect(r.calls).toEqual(['review_plan']);
    expect(r.toolCalls[0]?.arguments).toEqual({ target: ID });
    for (const fact of [
      `Review of deployment ${ID} (commit ab12cd3) for production: needs-attention.`,
      '  - warning [lint]: 003_optimize_bike_lanes: CREATE INDEX without CONCURRENTLY locks bike_lanes\n    Fix: Create the index CONCURRENTLY.',
      'Policy: needs-approval — production needs a human approval. Approval: An approver (alice) runs honua deployment approve <id>',
      'Rollback: Every migration has down steps.',
      'The health checks will catch: the OGC API probe of the collections.',
      'They will not catch: whether the data is right (values, completeness).',
    ])
      expect(r.text).toContain(fact);
  });

  test.each([
    ['review PR #12', { target: '#12' }],
    ['review the branch honua/add-x for staging', { target: 'honua/add-x', environment: 'staging' }],
    ['review the plan for production', { target: 'HEAD', environment: 'production' }],
  ])('%j reviews %j', async (request, args) => {
    const r = await session('read-only').ask(request);
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['review_plan', args]]);
  });

  test('the last deployment of an environment: found first, then reviewed', async () => {
    const r = await session('read-only').ask('review the last production deployment');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_deployments', { environment: 'production', limit: 1 }],
      ['review_plan', { target: ID }],
    ]);
  });
});

describe('offline planner: promote and schedule', () => {
  test('promote with a time in operate mode: the promotion, then its deployment scheduled', async () => {
    const s = session('operate');
    const r = await s.ask('promote staging → prod next tuesday at 10:00');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['propose_promotion', { from: 'staging', to: 'production' }],
      ['schedule_deployment', { environment: 'production', at: 'next-tuesday 10:00', ref: 'honua/promote-staging-to-production-202612011000' }],
    ]);
    expect(s.asked).toEqual(['propose_promotion', 'schedule_deployment']);
    expect(r.text).toMatch(/Proposed the promotion of staging to production: branch honua\/promote-staging-to-production-202612011000/);
    expect(r.text).toMatch(/No pull request was opened: no GITHUB_TOKEN or GH_TOKEN is set/);
    expect(r.text).toMatch(/Scheduled for 2026-12-08T17:00:00\.000Z\.\nNext: It waits for an approver \(alice\) to approve it: `honua deployment approve/);
  });

  test('promote with a time in propose mode: the promotion, and how to schedule it', async () => {
    const r = await session('propose').ask('promote staging to production next tuesday at 10:00');
    expect(r.calls).toEqual(['propose_promotion']);
    expect(r.text).toContain('honua-ai chat --mode operate');
    expect(r.text).toContain('honua-ai promote --from staging --to production --schedule "next-tuesday 10:00"');
  });

  test('promote for the next window in operate mode: the promotion, then its deployment, which waits for the window', async () => {
    const r = await session('operate').ask('promote staging to production in the next window');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['propose_promotion', { from: 'staging', to: 'production' }],
      ['request_deployment', { environment: 'production', ref: 'honua/promote-staging-to-production-202612011000' }],
    ]);
    expect(r.text).toMatch(/Next: It waits for an approver \(alice\)/);
  });

  test('a side not named is the neighbour of the other, said as an assumption', async () => {
    const r = await session('propose').ask('promote to production');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_environments', {}],
      ['propose_promotion', { from: 'staging', to: 'production' }],
    ]);
    expect(r.text.split('\n')[0]).toMatch(/I took this to mean promoting staging to production/);
  });

  test('outside the window: not scheduled, and the next allowed slot is named', async () => {
    const r = await session('operate').ask(`schedule migration 003 for production ${OUTSIDE}`);
    expect(r.toolCalls.map((c) => [c.name, c.status])).toEqual([['schedule_deployment', 'error']]);
    expect(r.text).toMatch(/Not scheduled at next-tuesday 07:00: Tue 2026-12-08 07:00 PST is outside what the production policy allows/);
    expect(r.text).toMatch(/The next allowed slot is Tue 2026-12-08 09:00 PST\./);
    expect(r.outcome).toBe('failed');
  });

  test('outside the window, asked for the next slot: scheduled there once, and the answer says so', async () => {
    const r = await session('operate').ask(`promote staging to production ${OUTSIDE} or the next allowed slot`);
    expect(r.toolCalls.map((c) => [c.name, c.arguments.at, c.status])).toEqual([
      ['propose_promotion', undefined, 'ok'],
      ['schedule_deployment', OUTSIDE, 'error'],
      ['schedule_deployment', '2026-12-08T17:00:00.000Z', 'ok'],
    ]);
    expect(r.text).toMatch(/As you asked, I scheduled it at the next allowed slot instead: Tue 2026-12-08 09:00 PST/);
  });

  test.each([
    ['schedule a deployment to production on friday', /At what time friday\?/],
    ['deploy to production next week', /When should it run\?/],
  ])('%j: a time too loose to schedule is asked for, calling nothing', async (request, asked) => {
    const r = await session('operate').ask(request);
    expect(r.calls).toEqual([]);
    expect(r.outcome).toBe('needs-input');
    expect(r.text).toMatch(asked);
  });
});

describe('offline planner: operations', () => {
  test('roll back: request_rollback, confirmed by a person; the state, what was undone, and what comes next', async () => {
    const s = session('operate');
    const r = await s.ask('roll back production');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['request_rollback', { environment: 'production' }]]);
    expect(s.asked).toEqual(['request_rollback']);
    expect(r.text).toMatch(/Rollback production-20261208120000-99aa88b in production: Completed\./);
    expect(r.text).toMatch(/Undone: production-20261208100000-ab12cd3\./);
    expect(r.text).toMatch(/propose the revert commit/);
  });

  test('roll back, not confirmed: it says it was not done', async () => {
    const r = await session('operate', { confirm: false }).ask('revert prod to commit abc1234');
    expect(r.toolCalls.map((c) => [c.name, c.arguments, c.status])).toEqual([
      ['request_rollback', { environment: 'production', toCommit: 'abc1234' }, 'refused'],
    ]);
    expect(r.text).toMatch(/Rolling production back to commit abc1234 was not done: you did not confirm it/);
    expect(r.outcome).toBe('failed');
  });

  test('deploy in operate mode: the deployment waits for approval, and the answer says who approves', async () => {
    const r = await session('operate').ask('deploy migration 003 to production');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['request_deployment', { environment: 'production', migration: '003' }]]);
    expect(r.text).toMatch(/Deployment production-20261208100000-ab12cd3 in production: AwaitingApproval\./);
    expect(r.text).toContain(`Next: It waits for an approver (alice) to approve it: \`honua deployment approve ${ID}\``);
  });

  test.each([
    ['deploy to staging', 'propose', '`honua deploy -e staging`'],
    ['roll back production', 'read-only', '`honua rollback production`'],
    ['restore production from the latest backup', 'propose', '`honua restore -e production --commit <commit> --include-database`'],
    ['schedule migration 003 for production next tuesday 10:00', 'propose', '`honua-ai schedule migration 003 -e production --window "next-tuesday 10:00"`'],
  ] as const)('%j outside operate mode: no call; how to get operate mode, and the command a person runs', async (request, mode, command) => {
    const r = await session(mode).ask(request);
    expect(r.calls).toEqual([]);
    expect(r.text).toMatch(new RegExp(`needs an operate session, and this one is in ${mode} mode`));
    expect(r.text).toContain('honua-ai chat --mode operate');
    expect(r.text).toContain(command);
  });

  test('in a one-shot ask, the way to operate mode is the same request again with --mode operate', async () => {
    const surface: PlannerSurface = { kind: 'ask', rerun: (request, extra = []) => ['honua-ai', 'ask', ...extra, `"${request}"`].join(' ') };
    const r = await session('propose', { surface }).ask('deploy to staging');
    expect(r.text).toContain('honua-ai ask --mode operate "deploy to staging"');
  });

  test('restore: the backups first (their age is the data lost), then the restore from the newest', async () => {
    const r = await session('operate').ask('restore production from the latest backup');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_backups', { environment: 'production' }],
      ['request_restore', { environment: 'production', includeDatabase: true, backupId: 'production-20261208060000' }],
    ]);
    expect(r.text).toMatch(/Database from backup production-20261208060000 \(2026-12-08T06:00:00\.000Z, 4 h old\): data written after it is lost/);
  });

  test('no environment named: asks which, naming the repository’s, and the answer continues the request', async () => {
    const s = session('operate');
    const first = await s.ask('deploy it');
    expect(first.calls).toEqual(['list_environments']);
    expect(first.text).toMatch(/Which environment should I deploy to\? The repository has: development, staging, production\./);
    const second = await s.ask('staging');
    expect(second.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['request_deployment', { environment: 'staging' }]]);
    expect(second.text).toMatch(/in staging: Completed/);
  });
});

describe('offline planner: what runs', () => {
  test.each([
    ["what's running in production?", [['deployment_status', { environment: 'production' }]], /production: Synced \(the active snapshot is HEAD\); Healthy\./],
    ['is production in sync', [['deployment_status', { environment: 'production' }]], /Running: commit ab12cd34ef56/],
    ["show production's deployments", [['list_deployments', { environment: 'production', limit: 10 }]], new RegExp(`${ID} — deploy, AwaitingApproval`)],
    ['last 5 deployments in prod', [['list_deployments', { environment: 'production', limit: 5 }]], /The last 2 deployments of production, newest first/],
    [
      `show deployment ${ID}`,
      [['show_deployment', { id: ID }]],
      /Plan: 0 added, 1 modified, 0 removed, 1 migration\(s\), 0 breaking \(003_optimize_bike_lanes\)\.\nRisk: a migration changes the database\.\nPolicy: needs-approval/,
    ],
    [
      'is production healthy?',
      [['environment_health', { environment: 'production' }]],
      /production is not healthy: 1 of 2 checks pass\.\n {2}FAIL parks-count/,
    ],
    ['list backups of production', [['list_backups', { environment: 'production' }]], /production-20261208060000 — 2026-12-08T06:00:00\.000Z \(4 h ago\)/],
  ])('%j', async (request, calls, answer) => {
    const r = await session('read-only').ask(request);
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual(calls);
    expect(r.text).toMatch(answer);
    expect(r.outcome).toBe('done');
  });

  test('why did the last production deployment fail: its failures, then the newest one’s incident report', async () => {
    const r = await session('read-only').ask('why did the last production deployment fail?');
    expect(r.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_deployments', { environment: 'production', outcome: 'failed', limit: 5 }],
      ['read_incident', { id: FAILED_ID }],
    ]);
    expect(r.text).toMatch(/Why: the health check bike-lanes-latency failed: 2300 ms over a 500 ms budget/);
    expect(r.text).toMatch(/Recommendations:\n {2}- Build indexes with CREATE INDEX CONCURRENTLY/);
  });

  test('what failed, with no environment: every environment’s failures, then the newest report', async () => {
    const r = await session('read-only').ask('what failed?');
    expect(r.toolCalls.map((c) => [c.name, c.arguments.environment ?? c.arguments.id])).toEqual([
      ['list_environments', undefined],
      ['list_deployments', 'development'],
      ['list_deployments', 'staging'],
      ['list_deployments', 'production'],
      ['read_incident', FAILED_ID],
    ]);
    expect(r.text).toMatch(new RegExp(`${FAILED_ID} \\(production, commit dd44ee5\\) rolled back in verify\\.`));
  });
});

describe('offline planner: refusals', () => {
  test.each([
    `approve deployment ${ID}`,
    'approve it',
    'deploy to production right now',
    'skip the approval',
    'bypass the deployment window',
    'force it through',
    'disable the policy',
  ])('%j: no tool call, a plain answer that names who approves and how', async (request) => {
    for (const mode of ['read-only', 'operate'] as const) {
      const r = await session(mode).ask(request);
      expect(r.calls).toEqual([]);
      expect(r.outcome).toBe('failed');
      expect(r.text).toMatch(/honua deployment approve/);
      expect(r.text).not.toMatch(/did not understand/);
    }
  });

  test('a bypass in operate mode offers to request the deployment, which waits for the approval', async () => {
    const r = await session('operate').ask('deploy to production right now');
    expect(r.text).toMatch(/`honua deploy -e production`/);
    expect(r.text).toMatch(/request the deployment — it will wait for that approval and that window/);
  });

  test('an approval names the deployment asked about', async () => {
    const r = await session('operate').ask(`approve deployment ${ID}`);
    expect(r.text).toMatch(/I cannot approve deployments/);
    expect(r.text).toContain(`honua deployment approve ${ID}`);
    expect(r.text).toMatch(/An approver named by the production policy/);
  });
});
