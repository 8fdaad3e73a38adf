import { beforeAll, describe, expect, it } from 'vitest';
import { honua, honuaAi } from '../helpers/cli.js';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * `honua-ai ask` as scripts use it: exit codes that mean something (0 done, 1 failed, 3 stopped
 * for a person), the outcome in --json, answers a person can act on where they are, and never
 * the text written for the model.
 */
let repo: string;
let env: NodeJS.ProcessEnv;
let dbArgs: string[] = [];

beforeAll(async () => {
  const t = await testDatabase({ sampleCity: true });
  await t.db.exec('CREATE TABLE public.benches (id integer PRIMARY KEY, material text, geom geometry(Point, 4326))');
  repo = await sampleCopy();
  await gitInit(repo);
  env = { HONUA_HOME: await tempDir('honua-home-'), NO_COLOR: '1', USER: 'tester' };
  // The real server when there is one; else the sample's embedded development database (the benches table is then absent).
  dbArgs = t.url ? ['--database-url', t.url] : [];
}, 120_000);

const ask = (...args: string[]) => honuaAi(['ask', '--repo', repo, ...dbArgs, ...args], { env, cwd: repo });

describe('honua-ai ask exit codes', () => {
  it.each([
    ['a table that does not exist', ['add a layer for the sidewalks table'], 1, /I found no table matching "sidewalks"/],
    [
      'a layer that exists',
      ['add a layer for the transit stops'],
      1,
      /already has the layer transportation::transit-stops, in environments\/common\/layers\/transit-stops\.yaml/,
    ],
    ['an index a pending migration adds', ['add a spatial index to bike_lanes'], 1, /migration 003_optimize_bike_lanes already adds a spatial index/],
    ['an approval', ['approve deployment prod-20241004123456-abc123'], 1, /cannot approve/],
    [
      'a proposal in read-only mode',
      ['--mode', 'read-only', 'add a layer for the transit routes table'],
      1,
      /honua-ai ask --mode read-only --mode propose|honua-ai ask --mode propose/,
    ],
    [
      'a question only the person can answer',
      ['add a layer for the lanes'],
      3,
      /could be bike_lanes or protected_bike_lanes[\s\S]*Run one of:\n {2}honua-ai ask --repo \S+ [\s\S]*'add a layer for the bike_lanes table'/,
    ],
    ['a proposal nobody could confirm', ['add a layer for the transit routes table'], 3, /nobody could confirm the proposal[\s\S]*honua-ai ask --yes --repo/],
    ['a question answered', ["what's in the database?"], 0, /public\.street_trees/],
  ])('%s → exit %s', async (_what, args, code, answer) => {
    const r = await ask(...args);
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stdout).toMatch(answer);
    expect(r.stdout + r.stderr).not.toMatch(/Do not retry|a person can start it in propose mode/);
  });

  it('--json carries the outcome', async () => {
    const r = await ask('--json', 'add a layer for the lanes');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'needs-input', stop: 'done' });
    const done = await ask('--json', 'validate');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ outcome: 'done' });
  });

  it('read-only refusals shown to the person say how to allow them here', async () => {
    const r = await ask('--mode', 'read-only', 'add a spatial index to parks');
    expect(r.stdout).toContain('honua-ai ask --mode propose --repo');
    expect(r.stdout).not.toMatch(/\/mode propose/);
  });
});

describe('honua db inspect --table', () => {
  const inspect = (...args: string[]) => honua(['db', 'inspect', ...(dbArgs.length > 0 ? dbArgs : ['--repo', repo]), ...args], { env, cwd: repo });

  it('shows the columns, types, keys and comments of one table', async () => {
    const r = await inspect('--table', 'street_trees');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/public\.street_trees \(table/);
    expect(r.stdout).toMatch(/^ {2}column +type +null/m);
    expect(r.stdout).toMatch(/^ {2}tree_id +bigint +no +primary key/m);
    expect(r.stdout).toMatch(/geometry geom: geometry\(Point, 4326\)/);
    expect(r.stdout).toMatch(/indexes:/);
  });

  it.each([
    ['parcles', /Did you mean public\.parcels\?/],
    ['public.stret_trees', /Did you mean public\.street_trees\?/],
    ['zzzz_nothing_like_it', /honua db inspect lists the tables there are/],
  ])('an unknown table (%s) is an error with close matches, exit 1', async (name, hint) => {
    const r = await inspect('--table', name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`no table or view "${name.replace('.', '\\.')}"`));
    expect(r.stderr).toMatch(hint);
  });
});

describe('commands that are not there', () => {
  it.each([
    [['serve', '--port', '99999'], /--port "99999" is not a port number/],
    [['serve', '--poll', 'often'], /--poll "often" is not a duration/],
    [['serve', '--base-url', 'ftp://x'], /--base-url "ftp:\/\/x" is not an http\(s\) URL/],
    [['conformance', 'not-a-url'], /"not-a-url" is not an http\(s\) URL/],
  ])('honua %j is a usage error that says what is wrong, before anything starts', async (args, message) => {
    const r = await honua(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an unknown command points at --help and at the nearest command', async () => {
    const r = await honua(['planx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'planx'/);
    expect(r.stderr).toMatch(/Run 'honua --help'/);
    expect(r.stderr).toMatch(/Did you mean 'honua plan'\?/);
    const ai = await honuaAi(['promot']);
    expect(ai.code).toBe(2);
    expect(ai.stderr).toMatch(/unknown command 'promot'/);
    const missing = await honuaAi(['promote', '--from', 'staging']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--to <env>'/);
  });
});

describe('policy-check times', () => {
  it("names the policy's local time by its zone, and gives UTC as UTC", async () => {
    const r = await honua(['policy-check', '--repo', repo, '-e', 'production', '--at', '2026-11-28T10:00:00-08:00']);
    expect(r.stdout).toMatch(/evaluated at Sat 2026-11-28 10:00 PST \(America\/Los_Angeles; 2026-11-28T18:00:00Z UTC\)/);
    expect(r.stdout).not.toMatch(/T18:00:00\.000Z \(America/);
  });
});
