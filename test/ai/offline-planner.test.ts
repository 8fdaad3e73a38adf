import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, test } from 'vitest';
import { runTurn } from '../../src/ai/agent-loop.js';
import { OfflinePlanner, type PlannerSurface } from '../../src/ai/offline/planner.js';
import { noConfirmer } from '../../guardrails/confirmer.js';
import type { Message } from '../../src/ai/providers/provider.js';
import { consultant, recordingConfirmer } from '../helpers/consultant.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { honua } from '../helpers/cli.js';
import { gitInit, sampleCopy } from '../helpers/repo.js';

/** The offline planner end to end: the same guarded tools, a real repository and database. */
describe('offline planner', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase({ sampleCity: true });
    // A table no migration of the sample creates or indexes.
    await t.db.exec('CREATE TABLE public.benches (id integer PRIMARY KEY, material text, geom geometry(Point, 4326))');
  }, 120_000);
  const ASK: PlannerSurface = { kind: 'ask', rerun: (request, extra = []) => ['honua-ai', 'ask', ...extra, `"${request}"`].join(' ') };

  async function session(mode: 'read-only' | 'propose' = 'propose', yes: boolean | 'nobody' = true, surface: PlannerSurface = { kind: 'chat' }) {
    const repo = await sampleCopy();
    await gitInit(repo);
    const c = consultant({ repoDir: repo, db: t.db, mode, confirmer: yes === 'nobody' ? noConfirmer : recordingConfirmer(yes) });
    const planner = new OfflinePlanner(surface);
    const history: Message[] = [];
    const ask = async (text: string) => {
      history.push({ role: 'user', content: text });
      const r = await runTurn({ provider: planner, runner: c.runner, system: '', history });
      history.push(...r.added);
      return r;
    };
    return { repo, ask, ...c };
  }

  test('adds a layer: inspects, generates, proposes on a branch that validates', async () => {
    const s = await session();
    const r = await s.ask('add a layer for the transit routes table');
    expect(r.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['list_tables', 'ok'],
      ['generate_layer', 'ok'],
      ['write_proposal', 'ok'],
    ]);
    expect(r.text).toMatch(/Created proposal: feature\/add-transit-routes-layer/);
    expect(r.text).toMatch(/transportation::transit-routes/);
    const git = simpleGit({ baseDir: s.repo });
    await git.checkout('feature/add-transit-routes-layer');
    expect((await honua(['validate', '--repo', s.repo])).code).toBe(0);
    expect(s.audit.entries.map((e) => e.tool)).toEqual(['list_tables', 'generate_layer', 'write_proposal']);
  });

  test('asks which service rather than guessing, and continues with the answer', async () => {
    const s = await session();
    const first = await s.ask('publish the parks table');
    expect(first.text).toMatch(/Which service should publish parks\?.*planning, transportation/);
    expect(first.toolCalls.map((c) => c.name)).not.toContain('write_proposal');
    const second = await s.ask('planning');
    expect(second.text).toMatch(/Created proposal: feature\/add-parks-layer/);
  });

  test('offers candidates for an ambiguous table and suggestions for an unknown one', async () => {
    const s = await session();
    expect((await s.ask('add lanes as a layer')).text).toMatch(/bike_lanes.*protected_bike_lanes|protected_bike_lanes.*bike_lanes/);
    expect((await s.ask('add a layer for the sidewalks table')).text).toMatch(/found no table matching "sidewalks".*street_trees/s);
    expect((await s.ask('add a layer for the transit stops')).text).toMatch(/already has the layer transportation::transit-stops/);
  });

  test('adds a spatial index as a migration proposal, and never one a pending migration already adds', async () => {
    const s = await session();
    const r = await s.ask('add a spatial index to benches');
    expect(r.toolCalls.map((c) => c.name)).toEqual(['list_tables', 'generate_migration', 'write_proposal']);
    expect(r.text).toMatch(/Created proposal: feature\/004-add-spatial-index-benches/);
    expect(r.outcome).toBe('done');
    const pending = await s.ask('we need a gist index on the bike lanes');
    expect(pending.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['list_tables', 'ok'],
      ['generate_migration', 'error'],
    ]);
    expect(pending.text).toMatch(
      /migration 003_optimize_bike_lanes already adds a spatial index on public\.bike_lanes\.geom; it is pending in development\n {2}Nothing to generate/,
    );
    expect(pending.outcome).toBe('failed');
  });

  test('a person who declines: nothing is committed, and the request failed', async () => {
    const s = await session('propose', false);
    const r = await s.ask('add a layer for the transit routes table');
    expect(r.toolCalls.at(-1)).toMatchObject({ name: 'write_proposal', status: 'refused' });
    expect(r.text).toMatch(/you did not allow the proposal, so nothing was committed/);
    expect(r.text).not.toMatch(/Do not retry/);
    expect(r.outcome).toBe('failed');
    expect(
      await simpleGit({ baseDir: s.repo })
        .branchLocal()
        .then((b) => b.all),
    ).toEqual(['main']);
  });

  test('nobody to confirm in a one-shot ask: it stops for the person with the command that allows it', async () => {
    const s = await session('propose', 'nobody', ASK);
    const r = await s.ask('add a layer for the transit routes table');
    expect(r.outcome).toBe('needs-input');
    expect(r.text).toMatch(/nobody could confirm the proposal, so I did not commit it/);
    expect(r.text).toContain('honua-ai ask --yes "add a layer for the transit.routes table"');
    expect(r.text).not.toMatch(/Do not retry|not interactive; run it interactively/);
  });

  test('says what it assumed, and asks when it cannot tell', async () => {
    const s = await session();
    const typo = await s.ask('add a layer for parcles in the planning service');
    expect(typo.text.split('\n')[0]).toBe('I took "parcles" to mean parcels.');
    expect(typo.text).toMatch(/already has the layer planning::parcels, in environments\/common\/layers\/parcels\.yaml/);
    expect(typo.text).toMatch(
      /\n {2}To change it, edit environments\/common\/layers\/parcels\.yaml\. To publish public\.parcels as a second layer, give it another name/,
    );
    expect(typo.outcome).toBe('failed');
    const several = await s.ask('add a layer for the lanes');
    expect(several.text).toMatch(/"lanes" could be bike_lanes or protected_bike_lanes\. Which one do you mean\?/);
    expect(several.outcome).toBe('needs-input');
  });

  test.each([
    ['publish benches in planning', 'planning'],
    ['add a layer for benches under transportation', 'transportation'],
    ['add benches as a layer for the planning service', 'planning'],
    ['publish the benches table into the transport service', 'transportation'],
    ['add a layer for the benches table in transport', 'transportation'],
  ])('understands the service in %j', async (request, service) => {
    const s = await session();
    const r = await s.ask(request);
    expect(r.toolCalls.find((c) => c.name === 'generate_layer')?.arguments).toMatchObject({ table: 'benches', service });
    expect(r.text).toMatch(new RegExp(`Created proposal: feature/add-benches-layer`));
  });

  test('in one-shot ask, a question ends with the commands that answer it', async () => {
    const s = await session('propose', true, ASK);
    const r = await s.ask('publish the benches table');
    expect(r.outcome).toBe('needs-input');
    expect(r.text).toMatch(/Which service should publish benches\?/);
    expect(r.text).toContain('honua-ai ask "add a layer for the benches table in the planning service"');
    expect(r.text).toContain('honua-ai ask "add a layer for the benches table in the transportation service"');
    expect(r.text).not.toMatch(/Answer with the service name/);
  });

  test('the same request twice makes no second branch; a different one with the same name says why it got a new one', async () => {
    const s = await session();
    expect((await s.ask('add a layer for the transit routes table')).text).toMatch(/Created proposal: feature\/add-transit-routes-layer\n/);
    const again = await s.ask('add a layer for the transit routes table');
    expect(again.outcome).toBe('done');
    expect(again.text).toMatch(/is already proposed, unchanged: feature\/add-transit-routes-layer \([0-9a-f]{7}\)/);
    expect(
      await simpleGit({ baseDir: s.repo })
        .branchLocal()
        .then((b) => b.all.sort()),
    ).toEqual(['feature/add-transit-routes-layer', 'main']);
    const other = await s.ask('add a layer for the transit routes table in staging');
    expect(other.text).toMatch(/Created proposal: feature\/add-transit-routes-layer-2/);
    expect(other.text).toMatch(
      /feature\/add-transit-routes-layer already exists with different content, so this proposal is on feature\/add-transit-routes-layer-2/,
    );
  });

  test('describe shows the columns and sample rows it was asked for', async () => {
    const s = await session();
    const r = await s.ask('describe street_trees');
    expect(r.text).toMatch(/Columns:\n {2}tree_id/);
    expect(r.text).toMatch(/Sample rows:\n {2}1\. tree_id=/);
  });

  test('in read-only mode it explains what mode is needed, where the person is; describe, validate, plan and diff work', async () => {
    const inAsk = await session('read-only', true, ASK);
    const refused = await inAsk.ask('add a layer for the transit routes table');
    expect(refused.text).toContain('honua-ai ask --mode propose "add a layer for the transit.routes table"');
    expect(refused.outcome).toBe('failed');
    const s = await session('read-only');
    expect((await s.ask('add a layer for the transit routes table')).text).toMatch(/Switch with \/mode propose and ask again/);
    expect((await s.ask("what's in the database?")).text).toMatch(/public\.street_trees/);
    expect((await s.ask('describe the street trees table')).text).toMatch(/tree_id/);
    expect((await s.ask('validate the config')).text).toMatch(/valid/);
    expect((await s.ask('plan production')).text).toMatch(/Risk: [\s\S]*Policy decision: (proceed|needs-approval|blocked|denied)/);
    expect((await s.ask('diff staging and production')).text).toMatch(/added/);
    expect((await s.ask('which environments are there?')).text).toMatch(/production/);
  });

  test('a proposal asked for with a pull request: without a remote, none is opened, and the answer says how to open it', async () => {
    const s = await session();
    const r = await s.ask('propose a layer for the transit routes table');
    expect(r.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['list_tables', 'ok'],
      ['generate_layer', 'ok'],
      ['write_proposal', 'ok'],
      ['open_pull_request', 'ok'],
    ]);
    expect(r.text).toMatch(/Created proposal: feature\/add-transit-routes-layer/);
    expect(r.text).toMatch(
      /No pull request was opened: the repository has no origin remote\.\nTo open it: The branch feature\/add-transit-routes-layer is in the repository/,
    );
    expect(r.outcome).toBe('done');
  });

  test('never approves, and says what it can do offline for anything else', async () => {
    const s = await session();
    const r = await s.ask('approve deployment prod-20241004123456-abc123');
    expect(r.toolCalls).toEqual([]);
    expect(r.text).toMatch(/cannot approve/);
    expect(r.outcome).toBe('failed');
    const bypass = await s.ask('deploy to production right now');
    expect(bypass.toolCalls).toEqual([]);
    expect(bypass.text).toMatch(/`honua deploy -e production`[\s\S]*`honua deployment approve ID`/);
    expect((await s.ask('write me a poem')).text).toMatch(/OPENAI_API_KEY/);
  });
});
