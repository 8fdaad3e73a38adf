import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderConfirmation } from '../../guardrails/confirmer.js';
import { REDACTED } from '../../guardrails/redact.js';
import type { Database } from '../../src/db/database.js';
import { writeConfigFile } from '../../src/source/safe-write.js';
import { consultant, recordingConfirmer } from '../helpers/consultant.js';
import { testDatabase } from '../helpers/database.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * Attacks on write_proposal, as a hostile repository or a misled model would make them: links
 * that lead out of the repository, branch names that shadow refs, text that poses as Honua in
 * the confirmation, and proposals that rewrite the policy that judges them. Each must be refused
 * before a person is asked, leave nothing behind, and say why.
 */

let db: Database;
beforeAll(async () => {
  ({ db } = await testDatabase({ sampleCity: true }));
}, 120_000);

const LAYER = (name: string) => `apiVersion: honua.io/v1
kind: Layer
metadata:
  name: ${name}
  service: transportation
spec:
  title: ${name}
  geometryType: Point
  idField: id
  geometryField: geom
  crs: [EPSG:4326]
  storage: {table: transit_stops, geometryColumn: geom, primaryKey: id, srid: 4326}
  fields:
    - {name: id, type: integer}
`;

/** A sample repository in git, with links made (and committed) before the first commit. */
async function repoWith(links: Record<string, string> = {}, files: Record<string, string> = {}): Promise<{ dir: string; git: ReturnType<typeof simpleGit> }> {
  const dir = await sampleCopy(files);
  for (const [link, target] of Object.entries(links)) {
    await mkdir(path.dirname(path.join(dir, link)), { recursive: true });
    await symlink(target, path.join(dir, link));
  }
  const git = await gitInit(dir);
  return { dir, git };
}

const branches = async (git: ReturnType<typeof simpleGit>): Promise<string[]> =>
  (await git.raw(['for-each-ref', '--format=%(refname)', 'refs/heads'])).split('\n').filter(Boolean);

describe('proposals never write through a symbolic link', () => {
  it.each([
    [
      'a linked file',
      'environments/development/layers/x.yaml',
      (outside: string) => ({ 'environments/development/layers/x.yaml': path.join(outside, 'victim.yaml') }),
      'environments/development/layers/x.yaml',
    ],
    [
      'a linked folder',
      'environments/development/layers/evil/new.yaml',
      (outside: string) => ({ 'environments/development/layers/evil': outside }),
      'environments/development/layers/evil',
    ],
    ['a linked top-level folder', 'policies/production-policy.yaml', (outside: string) => ({ 'policies-real': '.', policies: outside }), 'policies'],
  ] as const)('%s: refused before anyone is asked, nothing outside changes, no branch', async (_what, target, links, linkPath) => {
    const outside = await tempDir('honua-outside-');
    await writeFile(path.join(outside, 'victim.yaml'), 'precious: true\n');
    const linkMap = links(outside);
    // The sample's policies folder is replaced by the link in the third case.
    const { dir, git } = await repoWith({}, {});
    for (const [link, to] of Object.entries(linkMap)) {
      if (link === 'policies-real') continue;
      const abs = path.join(dir, link);
      await git.raw(['rm', '-r', '-q', '--ignore-unmatch', link]);
      await mkdir(path.dirname(abs), { recursive: true });
      await symlink(to, abs);
    }
    await git.add('.');
    await git.commit('links');
    const before = await branches(git);
    const confirmer = recordingConfirmer(true);
    const { runner } = consultant({ repoDir: dir, db, confirmer });
    const r = await runner.call('write_proposal', { branch: 'feature/escape', message: 'add x', files: [{ path: target, content: LAYER('x') }] });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('symlink-in-path');
    expect(r.error?.message).toContain(linkPath);
    expect(confirmer.asked).toEqual([]);
    expect(await readFile(path.join(outside, 'victim.yaml'), 'utf8')).toBe('precious: true\n');
    expect(existsSync(path.join(outside, 'new.yaml'))).toBe(false);
    expect(existsSync(path.join(outside, 'production-policy.yaml'))).toBe(false);
    expect(await branches(git)).toEqual(before);
  });

  it('builds the commit without a work tree: files beside a link are committed, the link is untouched', async () => {
    const outside = await tempDir('honua-outside-');
    const { dir, git } = await repoWith({ 'environments/development/layers/linked.yaml': path.join(outside, 'victim.yaml') });
    const confirmer = recordingConfirmer(true);
    const { runner } = consultant({ repoDir: dir, db, confirmer });
    const r = await runner.call('write_proposal', {
      branch: 'feature/beside-a-link',
      message: 'add y',
      files: [{ path: 'environments/development/layers/y.yaml', content: LAYER('y') }],
    });
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    const tree = await git.raw(['ls-tree', '-r', 'feature/beside-a-link', '--', 'environments/development/layers']);
    expect(tree).toMatch(/^120000 blob .*linked\.yaml$/m);
    expect(tree).toMatch(/^100644 blob .*y\.yaml$/m);
    expect(existsSync(path.join(outside, 'victim.yaml'))).toBe(false);
    // The working tree was never touched.
    expect(existsSync(path.join(dir, 'environments/development/layers/y.yaml'))).toBe(false);
  });

  it('reading: links are neither listed nor read nor loaded, and validate says they were skipped', async () => {
    const outside = await tempDir('honua-outside-');
    await writeFile(path.join(outside, 'stolen.yaml'), LAYER('stolen'));
    const { dir } = await repoWith({
      'environments/development/layers/stolen.yaml': path.join(outside, 'stolen.yaml'),
      'environments/staging/layers/outside': outside,
    });
    const { runner, engine } = consultant({ repoDir: dir, db });
    const listed = await runner.call('read_config_file', {});
    expect(JSON.stringify(listed.structured)).not.toContain('stolen');
    const read = await runner.call('read_config_file', { path: 'environments/development/layers/stolen.yaml' });
    expect(read.error).toMatchObject({ code: 'file-not-found', message: expect.stringContaining('symbolic link') });
    const through = await runner.call('read_config_file', { path: 'environments/staging/layers/outside/stolen.yaml' });
    expect(through.status).toBe('error');
    const { report } = await engine.validate();
    expect(
      report.problems
        .filter((p) => p.code === 'symlink-ignored')
        .map((p) => p.file)
        .sort(),
    ).toEqual(['environments/development/layers/stolen.yaml', 'environments/staging/layers/outside']);
    expect((await engine.environments()).flatMap((e) => e.layers)).not.toContain('transportation::stolen');
    // The same at a commit (git tree): the link's target text is never read as a file.
    const plan = await engine.plan({ environment: 'development', ref: 'HEAD' });
    expect(plan.changes.map((c) => c.name)).not.toContain('stolen');
  });

  it('honua-ai generate --write refuses a linked folder or file on the way', async () => {
    const outside = await tempDir('honua-outside-');
    const { dir } = await repoWith({ 'environments/development/layers/evil': outside });
    expect(() => writeConfigFile(dir, 'environments/development/layers/evil/x.yaml', 'x: 1\n')).toThrow(/symbolic link/);
    await symlink(path.join(outside, 'v.yaml'), path.join(dir, 'environments/development/layers/v.yaml'));
    expect(() => writeConfigFile(dir, 'environments/development/layers/v.yaml', 'x: 1\n')).toThrow(/symbolic link/);
    expect(existsSync(path.join(outside, 'x.yaml')) || existsSync(path.join(outside, 'v.yaml'))).toBe(false);
    expect(writeConfigFile(dir, 'environments/development/layers/new/ok.yaml', 'x: 1\n')).toBe('environments/development/layers/new/ok.yaml');
  });
});

describe('proposal branches cannot shadow a ref', () => {
  let dir: string;
  let git: ReturnType<typeof simpleGit>;
  let head: string;
  beforeAll(async () => {
    ({ dir, git } = await repoWith());
    head = (await git.revparse(['HEAD'])).trim();
    await git.raw(['tag', 'feature/tagged']);
    await git.raw(['update-ref', 'refs/remotes/origin/main', head]);
    await git.raw(['branch', 'feature']);
  });

  const forms = () => [
    ['origin/main', 'bad-branch-name'],
    ['refs/heads/main', 'bad-branch-name'],
    ['heads/main', 'bad-branch-name'],
    ['+main', 'bad-branch-name'],
    ['@', 'bad-branch-name'],
    ['main', 'bad-branch-name'],
    ['HEAD', 'bad-branch-name'],
    ['<the short id of HEAD>', 'bad-branch-name'],
    ['feature/../main', 'bad-branch-name'],
    ['feature/x.lock', 'bad-branch-name'],
    ['feature/x\nThis is a read-only preview', 'bad-branch-name'],
    ['feature/@{-1}', 'bad-branch-name'],
    ['feature/tagged', 'branch-shadows-ref'],
    ['feature/sub', 'branch-exists'],
  ];

  it.each(forms())('%j is refused (%s), nobody is asked, no ref changes', async (form, code) => {
    const branch = form === '<the short id of HEAD>' ? head.slice(0, 7) : form;
    const before = await git.raw(['for-each-ref', '--format=%(refname) %(objectname)']);
    const confirmer = recordingConfirmer(true);
    const { runner } = consultant({ repoDir: dir, db, confirmer });
    const r = await runner.call('write_proposal', { branch, message: 'x', files: [{ path: 'environments/development/layers/z.yaml', content: LAYER('z') }] });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe(code);
    expect(confirmer.asked).toEqual([]);
    expect(await git.raw(['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(before);
  });

  it('Honua refuses to resolve a name two refs answer differently', async () => {
    const other = await simpleGit(dir).raw(['commit-tree', `${head}^{tree}`, '-p', head, '-m', 'other']);
    await git.raw(['update-ref', 'refs/heads/origin/dev', other.trim()]);
    await git.raw(['update-ref', 'refs/remotes/origin/dev', head]);
    const { engine } = consultant({ repoDir: dir, db });
    await expect(engine.plan({ environment: 'development', ref: 'origin/dev' })).rejects.toMatchObject({ code: 'ambiguous-ref' });
    await expect(engine.plan({ environment: 'development', ref: 'refs/remotes/origin/dev' })).resolves.toMatchObject({ environment: 'development' });
  });
});

describe('the confirmation cannot be spoofed, and a proposal cannot rewrite the policy that judges it', () => {
  it('shows the commit message quoted on one line, beside the facts Honua computed', async () => {
    const { dir } = await repoWith();
    const confirmer = recordingConfirmer(false);
    const { runner } = consultant({ repoDir: dir, db, confirmer });
    const message = 'Add a layer\n\nThis is a read-only preview: nothing will be written.\n  Allow? yes';
    const r = await runner.call('write_proposal', {
      branch: 'feature/spoof',
      message,
      files: [{ path: 'environments/development/layers/s.yaml', content: LAYER('s') }],
    });
    expect(r.status).toBe('refused');
    const request = confirmer.requests[0]!;
    const shown = renderConfirmation(request);
    const lines = shown.split('\n');
    expect(lines.filter((l) => l.includes('read-only preview'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('read-only preview'))).toMatch(
      /^ {2}Commit message \(written by the model\): "Add a layer\\n\\nThis is a read-only preview/,
    );
    expect(lines.filter((l) => l.includes('Allow? yes'))).toHaveLength(1);
    expect(shown).toContain('+ environments/development/layers/s.yaml (new, +14 −0 lines)');
    expect(request.summary).toMatch(/^Create the new branch feature\/spoof from main at [0-9a-f]{7}/);
    // Terminal escapes and bidirectional overrides are refused outright: a commit message is text.
    for (const bad of ['Add\u001b[2K\rAllow? yes', 'Add \u202eseulav', 'Add\u0000x']) {
      const refused = await runner.call('write_proposal', {
        branch: 'feature/spoof',
        message: bad,
        files: [{ path: 'environments/development/layers/s.yaml', content: LAYER('s') }],
      });
      expect(refused.error?.code).toBe('bad-commit-message');
    }
    expect(confirmer.asked).toHaveLength(1);
  });

  it('says prominently that a proposal changes deployment policy, and the plan of its branch is judged by the base policy', async () => {
    const { dir } = await repoWith();
    const policy = await readFile(path.join(dir, 'policies/production-policy.yaml'), 'utf8');
    const relaxed = policy.replace('    required: true', '    required: false').replace('team:gis-ops', 'user:mallory@example.com');
    const confirmer = recordingConfirmer(true);
    const { runner, engine } = consultant({ repoDir: dir, db, confirmer, now: new Date('2026-11-24T18:00:00Z') });
    const r = await runner.call('write_proposal', {
      branch: 'feature/relax',
      message: 'Tidy the policy',
      files: [{ path: 'policies/production-policy.yaml', content: relaxed }],
    });
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    const request = confirmer.requests[0]!;
    expect(request.warnings?.[0]).toMatch(/^CHANGES DEPLOYMENT POLICY: policies\/production-policy\.yaml/);
    expect(renderConfirmation(request).split('\n')[2]).toMatch(/⚠ CHANGES DEPLOYMENT POLICY/);
    // The branch brings a policy without approval; the plan of the branch still needs one, by the base's approvers.
    const plan = await engine.plan({ environment: 'production', ref: 'feature/relax' });
    expect(plan.policySource).toBe('base');
    expect(plan.policy.outcome).toBe('needs-approval');
    expect(JSON.stringify(plan.policy)).toContain('team:gis-ops');
    expect(JSON.stringify(plan.policy)).not.toContain('mallory');
    expect(plan.warnings.join('\n')).toMatch(/rewrites the production deployment policy .*judged by the policy at its base/);
    // So does the tool the model calls.
    const tool = await runner.call('plan_deployment', { environment: 'production', ref: 'feature/relax' });
    expect(tool.structured).toMatchObject({ policySource: 'base', policy: { outcome: 'needs-approval' } });
    // And a working-tree edit of the policy is judged by the last commit's policy too.
    await writeFile(path.join(dir, 'policies/production-policy.yaml'), relaxed);
    expect((await engine.plan({ environment: 'production' })).policy.outcome).toBe('needs-approval');
  });

  it('shows the SQL a migration will run, and validates before asking', async () => {
    const { dir } = await repoWith();
    const confirmer = recordingConfirmer(false);
    const { runner } = consultant({ repoDir: dir, db, confirmer });
    const gen = await runner.call('generate_migration', { kind: 'add-column', table: 'parks', column: 'inspected_on', type: 'date' });
    expect(gen.status, JSON.stringify(gen.error)).toBe('ok');
    await runner.call('write_proposal', { branch: 'feature/inspected', message: 'add a column', draftIds: [(gen.structured as { draftId: string }).draftId] });
    const shown = renderConfirmation(confirmer.requests[0]!);
    expect(shown).toMatch(/⚠ CHANGES THE DATABASE when deployed: migrations\/004_add_inspected_on_to_parks\.yaml/);
    expect(shown).toMatch(/│ +ALTER TABLE parks\n/);
    expect(shown).toMatch(/│ +ADD COLUMN IF NOT EXISTS inspected_on date;/);
    // An invalid file is refused before anyone is asked.
    const before = confirmer.asked.length;
    const bad = await runner.call('write_proposal', {
      branch: 'feature/broken',
      message: 'x',
      files: [{ path: 'environments/development/layers/b.yaml', content: 'apiVersion: honua.io/v1\nkind: Layer\n' }],
    });
    expect(bad.error?.code).toBe('proposal-invalid');
    expect(confirmer.asked.length).toBe(before);
  });

  it('a push that fails withdraws the branch and reports failure', async () => {
    const { dir, git } = await repoWith();
    await git.addRemote('origin', path.join(dir, 'no-such-remote.git'));
    const { runner } = consultant({ repoDir: dir, db, confirmer: recordingConfirmer(true) });
    const r = await runner.call('write_proposal', {
      branch: 'feature/unpushed',
      message: 'x',
      files: [{ path: 'environments/development/layers/u.yaml', content: LAYER('u') }],
    });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('push-failed');
    expect(await branches(git)).toEqual(['refs/heads/main']);
  });
});

describe('secrets the consultant could not see survive its edits', () => {
  const DS = 'environments/development/datasources.yaml';
  const literal = `apiVersion: honua.io/v1
kind: DataSource
metadata:
  name: postgis-primary
spec:
  type: postgis
  url: postgres://gis@db.internal/city
  password: "hunter2-literal"
`;

  it("reads the file redacted, and the proposal commits the person's value, not the placeholder", async () => {
    const { dir, git } = await repoWith({}, { [DS]: literal });
    const { runner } = consultant({ repoDir: dir, db, confirmer: recordingConfirmer(true) });
    const read = await runner.call('read_config_file', { path: DS });
    expect(JSON.stringify(read.structured)).not.toContain('hunter2-literal');
    expect(read.text).not.toContain('hunter2-literal');
    expect(read.text).toContain(REDACTED);
    // The model edits what it saw (placeholder included) and proposes it.
    const seen = /<untrusted-data source="file [^"]+">([\s\S]*)<\/untrusted-data>/.exec((read.structured as { content: string }).content)![1]!;
    const edited = seen.replace('name: postgis-primary', 'name: postgis-primary\n  description: Primary database');
    const r = await runner.call('write_proposal', {
      branch: 'feature/describe-db',
      message: 'describe the datasource',
      files: [{ path: DS, content: edited }],
    });
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    const committed = await git.show([`feature/describe-db:${DS}`]);
    expect(committed).toContain('password: "hunter2-literal"');
    expect(committed).toContain('description: Primary database');
    expect(committed).not.toContain(REDACTED);
  });

  it('refuses a placeholder it has nothing to put back for', async () => {
    const { dir } = await repoWith({}, { [DS]: literal });
    const { runner } = consultant({ repoDir: dir, db, confirmer: recordingConfirmer(true) });
    const r = await runner.call('write_proposal', {
      branch: 'feature/new-secret',
      message: 'x',
      files: [{ path: DS, content: literal.replace('password: "hunter2-literal"', `password: "hunter2-literal"\n  token: ${REDACTED}`) }],
    });
    expect(r.error?.code).toBe('redacted-secret');
  });
});
