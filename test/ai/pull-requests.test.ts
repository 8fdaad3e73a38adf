import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../guardrails/audit-log.js';
import { Redactor } from '../../guardrails/redact.js';
import { runTurn } from '../../src/ai/index.js';
import { openPullRequest, type Engine } from '../../src/engine/index.js';
import { isHonuaError } from '../../src/errors/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { TOOLS } from '../../tools/registry.js';
import { ToolRunner } from '../../tools/tool-runner.js';
import { honuaAi } from '../helpers/cli.js';
import { recordingConfirmer } from '../helpers/consultant.js';
import { testDatabase } from '../helpers/database.js';
import { startFakeGitHub } from '../helpers/fake-github-server.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';
import { call, ScriptedModel } from '../helpers/scripted-model.js';

/**
 * Pull requests through the real Octokit against a local server speaking GitHub's REST API, over
 * a real repository whose origin is a bare repository on disk (the fake sees the pushed branches):
 * the body is Honua's plan of the branch (files, changes, migrations with their lint findings and
 * fixes, risk, policy per environment, how to test) with `honua` and `risk:*` labels; an open PR
 * from the branch, a bad token and a spent rate limit are each a clear error; and the consultant
 * — a scripted model, the offline planner — proposes with a pull request.
 */
const TOKEN = 'ghp_testtoken0123456789abcdefghijklmnopq';
const MIGRATION = `apiVersion: honua.io/v1
kind: Migration
metadata:
  id: "004"
  description: Index parcels by zoning
spec:
  up:
    - name: index
      type: sql
      content: CREATE INDEX idx_parcels_zoning ON parcels (zoning);
  down:
    - name: drop
      type: sql
      content: DROP INDEX IF EXISTS idx_parcels_zoning;
`;

let repo: string;
let bare: string;
let url: string | undefined;
let home: string;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
const open: Runtime[] = [];

async function runtimeWith(env: NodeJS.ProcessEnv): Promise<Runtime> {
  const r = await createRuntime({
    cwd: repo,
    env: { HONUA_HOME: home, ...env },
    repo,
    databaseUrl: url,
    github: { apiUrl: github.url, repo: 'city/gis-config' },
  });
  open.push(r);
  return r;
}

beforeAll(async () => {
  ({ url } = await testDatabase({ sampleCity: true }));
  repo = await sampleCopy();
  await gitInit(repo);
  bare = await tempDir();
  execFileSync('git', ['init', '--bare', '--quiet', bare]);
  execFileSync('git', ['-C', repo, 'remote', 'add', 'origin', bare]);
  execFileSync('git', ['-C', repo, 'push', '--quiet', 'origin', 'main']);
  home = await tempDir();
  github = await startFakeGitHub({ token: TOKEN, owner: 'city', repo: 'gis-config', defaultBranch: 'main', bareRepo: bare });
}, 60_000);

afterAll(async () => {
  for (const r of open) await r.close();
  await github?.close();
});

async function proposeMigration(engine: Engine, branch: string): Promise<void> {
  await engine.writeProposal({
    branch,
    message: 'index parcels by zoning',
    files: [{ path: 'migrations/004_index_parcels.yaml', content: MIGRATION }],
    push: true,
    author: { name: 't', email: 't@example.com' },
  });
}

describe('pull requests', () => {
  it('opens a PR whose body is the plan with risk and the lint finding and its fix; an open PR from the branch is reported with its URL', async (ctx) => {
    if (!url) return ctx.skip();
    const engine = (await runtimeWith({ GITHUB_TOKEN: TOKEN })).engine();
    await proposeMigration(engine, 'honua/index-parcels');
    const pr = await openPullRequest(engine, { branch: 'honua/index-parcels', title: 'Index parcels by zoning' });
    expect(pr.opened).toBe(true);
    expect(pr.url).toMatch(/\/city\/gis-config\/pull\/\d+$/);
    expect(pr.labels).toEqual(['honua', `risk:${pr.risk.toLowerCase()}`]);
    const body = github.pulls.at(-1)?.body ?? '';
    for (const part of [
      '## What changes',
      'migrations/004_index_parcels.yaml',
      'Migrations, in order',
      '004_index_parcels',
      'without CONCURRENTLY',
      'Use CREATE INDEX CONCURRENTLY',
      '**Risk:',
      '**Policy:',
      '### production',
      '## How to test',
    ])
      expect(body).toContain(part);
    expect(body).not.toContain(TOKEN);

    // honua-ai review #N: the PR's head reviewed for production, and posted on the PR as a review comment.
    const number = pr.number ?? 0;
    const reviewed = await honuaAi(
      ['review', `#${number}`, '--repo', repo, '--database-url', url!, '--github-api-url', github.url, '--github-repo', 'city/gis-config'],
      {
        cwd: home,
        env: { HONUA_HOME: home, GITHUB_TOKEN: TOKEN },
      },
    );
    expect(reviewed.code, reviewed.stderr).toBe(0);
    expect(reviewed.stdout).toContain('Use CREATE INDEX CONCURRENTLY');
    expect(reviewed.stdout).toMatch(/Posted on the pull request/);
    expect(github.reviews.at(-1)).toMatchObject({ event: 'COMMENT' });
    expect(JSON.stringify(github.reviews.at(-1))).toContain('Honua review');

    const again = await openPullRequest(engine, { branch: 'honua/index-parcels', title: 'again' }).catch((e: unknown) => e);
    expect(isHonuaError(again) && again.code).toBe('pull-request-exists');
    expect((again as Error).message).toContain(pr.url);
  });

  it('a bad token, a spent rate limit and a branch GitHub does not have are clear errors that never show the token', async (ctx) => {
    if (!url) return ctx.skip();
    const bad = 'ghp_wrongtoken0123456789abcdefghijklmno';
    const engine = (await runtimeWith({ GITHUB_TOKEN: bad })).engine();
    const e1 = await openPullRequest(engine, { branch: 'honua/index-parcels', title: 'x' }).catch((e: unknown) => e);
    expect(isHonuaError(e1) && e1.code).toBe('github-unauthorized');
    expect(JSON.stringify({ m: (e1 as Error).message, d: (e1 as { data?: unknown }).data })).not.toContain(bad);

    const good = (await runtimeWith({ GH_TOKEN: TOKEN })).engine();
    await good.writeProposal({
      branch: 'honua/local-only',
      message: 'not pushed',
      files: [{ path: 'migrations/005_x.yaml', content: MIGRATION.replace('"004"', '"005"').replace(/idx_parcels_zoning/g, 'idx_x') }],
      push: false,
      author: { name: 't', email: 't@example.com' },
    });
    const e2 = await openPullRequest(good, { branch: 'honua/local-only', title: 'x' }).catch((e: unknown) => e);
    expect(isHonuaError(e2) && e2.code).toBe('github-not-found');
    expect((e2 as Error).message).toContain('honua/local-only');

    github.rateLimit(Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000));
    try {
      const e3 = await openPullRequest(good, { branch: 'honua/index-parcels', title: 'x' }).catch((e: unknown) => e);
      expect(isHonuaError(e3) && e3.code).toBe('github-rate-limited');
      expect((e3 as Error).message).toContain('2030-01-01T00:00:00');
    } finally {
      github.rateLimit(undefined);
    }
  });

  it('without a token the branch stays pushed and the outcome says how to open the PR', async (ctx) => {
    if (!url) return ctx.skip();
    const engine = (await runtimeWith({})).engine();
    const pr = await openPullRequest(engine, { branch: 'honua/index-parcels', title: 'x' });
    expect(pr.opened).toBe(false);
    expect(pr.reason).toMatch(/GITHUB_TOKEN/);
    expect(pr.compareUrl).toContain('/city/gis-config/compare/main...honua/index-parcels');
  });

  it('a scripted model proposes a layer and opens the PR through the gate; the offline planner does the same with honua-ai propose', async (ctx) => {
    if (!url) return ctx.skip();
    const runtime = await runtimeWith({ GITHUB_TOKEN: TOKEN });
    const confirmer = recordingConfirmer(true);
    const runner = new ToolRunner({
      tools: TOOLS,
      engine: runtime.engine('consultant'),
      mode: 'propose',
      confirmer,
      audit: new MemoryAuditLog(),
      redactor: new Redactor(),
      actor: 'tester',
      via: 'test',
    });
    const before = github.pulls.length;
    const drafted = await runTurn({
      provider: new ScriptedModel([
        { toolCalls: [call('generate_layer', { table: 'routes', schema: 'transit', service: 'transportation' })] },
        { text: 'drafted' },
      ]),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'add a layer for the transit routes table' }],
      limits: { maxSteps: 4 },
    });
    expect(
      drafted.toolCalls.map((c) => c.status),
      JSON.stringify(drafted.toolCalls),
    ).toEqual(['ok']);
    const draftId = [...runner.session.drafts.keys()][0];
    expect(draftId).toBeDefined();
    const turn = await runTurn({
      provider: new ScriptedModel([
        { toolCalls: [call('write_proposal', { branch: 'honua/add-routes-scripted', message: 'Add the transit routes layer', draftIds: [draftId] })] },
        {
          toolCalls: [
            call('open_pull_request', { branch: 'honua/add-routes-scripted', title: 'Add the transit routes layer', notes: 'Drafted from transit_routes.' }),
          ],
        },
        { text: 'Opened.' },
      ]),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'propose it' }],
      limits: { maxSteps: 6 },
    });
    expect(turn.toolCalls.map((c) => `${c.name}:${c.status}`)).toEqual(['write_proposal:ok', 'open_pull_request:ok']);
    expect(confirmer.asked).toEqual(['write_proposal', 'open_pull_request']);
    expect(github.pulls.length).toBe(before + 1);
    expect(github.pulls.at(-1)?.body).toContain("## The consultant's notes");

    const r = await honuaAi(
      [
        'propose',
        '--yes',
        '--repo',
        repo,
        '--database-url',
        url,
        '--github-api-url',
        github.url,
        '--github-repo',
        'city/gis-config',
        'add a layer for the transit routes table',
      ],
      { cwd: home, env: { HONUA_HOME: home, GITHUB_TOKEN: TOKEN } },
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(github.pulls.length).toBe(before + 2);
    expect(r.stdout, r.stderr).toMatch(/Pull request #\d+: http:\/\/127\.0\.0\.1:\d+\/city\/gis-config\/pull\/\d+ \(into main; labels honua, risk:/);
  });
});
