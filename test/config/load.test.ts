import { describe, expect, it } from 'vitest';
import { loadRepo, parseFile } from '../../src/config/load.js';
import { locate } from '../../src/config/locate.js';
import { validateRepo } from '../../src/config/validate.js';
import { openSource } from '../../src/source/index.js';
import { commitAll, DOC, gitInit, load, minimalRepo, repoOf, tempDir, writeFiles } from '../helpers/repo.js';

describe('loading documents', () => {
  it("reads multi-document YAML and keeps each document's positions", () => {
    const file = { path: 'environments/dev/all.yaml', text: `${DOC.dataSource()}---\n${DOC.service()}---\n# only a comment\n---\n${DOC.layer()}` };
    const { values, problems } = parseFile(file);
    expect(problems).toEqual([]);
    const kinds = values.map((v) => (v as { kind?: string } | null)?.kind);
    expect(kinds.filter(Boolean)).toEqual(['DataSource', 'Service', 'Layer']);
    const layerIndex = kinds.indexOf('Layer');
    const sridLine = file.text.split('\n').findIndex((l) => l.includes('srid:')) + 1;
    expect(locate(file, layerIndex, ['spec', 'storage', 'srid'])).toEqual({ line: sridLine, column: 11 });
    expect(locate(file, layerIndex, ['spec', 'storage', 'srid'], { key: true })).toEqual({ line: sridLine, column: 5 });
  });

  it('reports every syntax error of a file and still reads its good documents', () => {
    const file = { path: 'x.yaml', text: `${DOC.service()}---\nkey: [unclosed\n---\n${DOC.dataSource()}` };
    const { values, problems } = parseFile(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'yaml-syntax', file: 'x.yaml' });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(8);
    expect(values.filter((v) => v !== undefined).map((v) => (v as { kind: string }).kind)).toEqual(['Service', 'DataSource']);
  });

  it('accepts JSON documents, with positions', async () => {
    const dir = await repoOf({
      ...minimalRepo(),
      'environments/development/services/json.json': JSON.stringify(
        { apiVersion: 'honua.io/v1', kind: 'Service', metadata: { name: 'json' }, spec: { title: 'J', dataSource: 'nope' } },
        null,
        2,
      ),
    });
    const { report } = validateRepo(await load(dir));
    expect(report.problems).toMatchObject([{ code: 'unknown-reference', file: 'environments/development/services/json.json', line: 9 }]);
  });

  it('reports invalid JSON with its position', async () => {
    const dir = await repoOf({ ...minimalRepo(), 'environments/development/bad.json': '{\n  "apiVersion": "honua.io/v1",\n  "kind": \n}' });
    const { report } = validateRepo(await load(dir));
    expect(report.problems).toMatchObject([{ code: 'yaml-syntax', file: 'environments/development/bad.json', line: 4 }]);
  });

  it('resolves environment folder aliases and ignores files outside the config folders', async () => {
    const dir = await repoOf({ ...minimalRepo('dev'), 'README.yaml': 'not: honua', 'docs/x.yaml': '- 1' });
    const repo = await load(dir);
    expect([...repo.environments]).toEqual([['development', 'dev']]);
    expect(validateRepo(repo).report.valid).toBe(true);
  });
});

describe('reading a commit through git', () => {
  it('reads any commit without checking it out, also when the config repo is a subdirectory', async () => {
    const top = await tempDir();
    await writeFiles(top, Object.fromEntries(Object.entries(minimalRepo()).map(([p, t]) => [`config/${p}`, t])));
    await writeFiles(top, { 'README.md': '# infra\n' });
    const git = await gitInit(top);
    const first = (await git.revparse(['HEAD'])).trim();
    await writeFiles(top, { 'config/environments/development/layers/rivers.yaml': DOC.layer('rivers') });
    await commitAll(git, 'add rivers');
    // an uncommitted edit that only the working tree has
    await writeFiles(top, { 'config/environments/development/layers/lakes.yaml': DOC.layer('lakes') });

    const layers = async (ref?: string) => {
      const repo = await loadRepo(await openSource({ repo: `${top}/config`, ...(ref ? { ref } : {}) }));
      const { states } = validateRepo(repo);
      return states
        .get('development')
        ?.layers.map((l) => l.name)
        .sort();
    };
    expect(await layers(first)).toEqual(['roads']);
    expect(await layers('HEAD')).toEqual(['rivers', 'roads']);
    expect(await layers()).toEqual(['lakes', 'rivers', 'roads']);
    const source = await openSource({ repo: `${top}/config`, ref: 'main' });
    expect(source.description).toMatchObject({ type: 'git', ref: 'main' });
  });

  it('explains an unknown ref and a directory that is not a repository', async () => {
    const dir = await repoOf(minimalRepo());
    await expect(openSource({ repo: dir, ref: 'main' })).rejects.toMatchObject({ code: 'not-a-git-repo' });
    await gitInit(dir);
    await expect(openSource({ repo: dir, ref: 'no-such-branch' })).rejects.toMatchObject({ code: 'unknown-ref' });
  });

  it('finds the config root from a folder inside it, and refuses a folder that is not one', async () => {
    const dir = await repoOf(minimalRepo());
    const source = await openSource({ repo: `${dir}/environments/development` });
    expect(source.description).toEqual({ type: 'directory', root: dir });
    const empty = await tempDir();
    await expect(openSource({ repo: empty })).rejects.toMatchObject({ code: 'repo-not-found' });
  });
});
