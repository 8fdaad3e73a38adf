import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, test } from 'vitest';
import { runTurn } from '../../src/ai/agent-loop.js';
import { OfflinePlanner } from '../../src/ai/offline/planner.js';
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
  }, 120_000);

  async function session(mode: 'read-only' | 'propose' = 'propose', yes = true) {
    const repo = await sampleCopy();
    await gitInit(repo);
    const c = consultant({ repoDir: repo, db: t.db, mode, confirmer: recordingConfirmer(yes) });
    const planner = new OfflinePlanner();
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
    expect(r.toolCalls.map((c) => [c.name, c.status])).toEqual([['list_tables', 'ok'], ['generate_layer', 'ok'], ['write_proposal', 'ok']]);
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

  test('adds a spatial index as a migration proposal', async () => {
    const s = await session();
    const r = await s.ask('add a spatial index to bike_lanes');
    expect(r.toolCalls.map((c) => c.name)).toEqual(['list_tables', 'generate_migration', 'write_proposal']);
    expect(r.text).toMatch(/Created proposal: feature\/004-add-spatial-index-bike-lanes/);
  });

  test('without confirmation it drafts but does not commit, and says how to allow it', async () => {
    const s = await session('propose', false);
    const r = await s.ask('add a layer for the transit routes table');
    expect(r.toolCalls.at(-1)).toMatchObject({ name: 'write_proposal', status: 'refused' });
    expect(r.text).toMatch(/did not commit it/);
    expect(await simpleGit({ baseDir: s.repo }).branchLocal().then((b) => b.all)).toEqual(['main']);
  });

  test('in read-only mode it explains what mode is needed; describe, validate, plan and diff work', async () => {
    const s = await session('read-only');
    expect((await s.ask('add a layer for the transit routes table')).text).toMatch(/--mode propose/);
    expect((await s.ask("what's in the database?")).text).toMatch(/public\.street_trees/);
    expect((await s.ask('describe the street trees table')).text).toMatch(/tree_id/);
    expect((await s.ask('validate the config')).text).toMatch(/valid/);
    expect((await s.ask('plan production')).text).toMatch(/Risk: [\s\S]*Policy decision: (proceed|needs-approval|blocked|denied)/);
    expect((await s.ask('diff staging and production')).text).toMatch(/added/);
    expect((await s.ask('which environments are there?')).text).toMatch(/production/);
  });

  test('never approves, and says what it can do offline for anything else', async () => {
    const s = await session();
    const r = await s.ask('approve deployment prod-20241004123456-abc123');
    expect(r.toolCalls).toEqual([]);
    expect(r.text).toMatch(/cannot approve/);
    expect((await s.ask('write me a poem')).text).toMatch(/OPENAI_API_KEY/);
  });
});
