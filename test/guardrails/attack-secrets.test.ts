import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../guardrails/redact.js';
import { honua } from '../helpers/cli.js';
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { gitInit, sampleCopy, tempDir } from '../helpers/repo.js';

/**
 * A secret written literally in a config file (`password: hunter2-literal`) must not leave
 * Honua on any path — tool results, what the provider is sent, the answer, `--json`, the
 * transcript, the audit log, error messages, start-up lines — while the file itself keeps it.
 * Driven through the real `honua-ai` binary and the real OpenAI SDK against a local server.
 */
const run = promisify(execFile);
const AI = path.resolve(import.meta.dirname, '../../dist/src/cli/honua-ai.js');
const SECRET = 'hunter2-literal';
const DS = 'environments/development/datasources.yaml';
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('redaction patterns', () => {
  const cases: Array<[string, string]> = [
    ['password: hunter2-literal', `password: ${REDACTED}`],
    ['  db_password: "x y z"  # prod', `  db_password: "${REDACTED}"  # prod`],
    ["token: 'abc''def'", `token: '${REDACTED}'`],
    ['- apiKey: abcdef', `- apiKey: ${REDACTED}`],
    ['password: {fromEnv: PG_PASSWORD}', 'password: {fromEnv: PG_PASSWORD}'],
    ['auth: {token: abcdefgh, user: ana}', `auth: {token: ${REDACTED}, user: ana}`],
    ['"password": "hunter2",', `"password": "${REDACTED}",`],
    ['{"user":"ana","secret_key":"s3cr3t"}', `{"user":"ana","secret_key":"${REDACTED}"}`],
    ['private_key: |\n  -----BEGIN KEY-----\n  abc\nname: x', `private_key: |\n  ${REDACTED}\n  ${REDACTED}\nname: x`],
    ['postgres://gis:p@ss@db.city.gov:5432/gis', `postgres://gis:${REDACTED}@db.city.gov:5432/gis`],
    ['host=db password=hunter22 dbname=gis', `host=db password=${REDACTED} dbname=gis`],
    ['export PG_PASSWORD=hunter22', `export PG_PASSWORD=${REDACTED}`],
    ['Authorization: Bearer abcdefghijklmnop', `Authorization: Bearer ${REDACTED}`],
    ['tokens_used: 42', 'tokens_used: 42'],
    ['primaryKey: id', 'primaryKey: id'],
    ['keywords: [parks]', 'keywords: [parks]'],
  ];
  it.each(cases)('%j', (input, expected) => expect(new Redactor().text(input)).toBe(expected));

  it('a secret met under a secret-named key is hidden wherever it turns up later', () => {
    const r = new Redactor();
    r.text('spec:\n  password: correct-horse-battery\n');
    expect(r.text('the password was correct-horse-battery, I think')).toBe(`the password was ${REDACTED}, I think`);
  });
});

describe('a literal secret in a config file, on every path out', () => {
  it('honua-ai ask: tool results, provider requests, answer, --json, transcript and audit log', async () => {
    const home = await tempDir('honua-home-');
    const repo = await sampleCopy({
      [DS]: `apiVersion: honua.io/v1\nkind: DataSource\nmetadata:\n  name: postgis-primary\nspec:\n  type: embedded\n  seed: sample-city\n  password: ${SECRET}\n`,
    });
    await gitInit(repo);
    const server = await startFakeOpenAiServer([
      { toolCalls: [{ id: 'c1', name: 'read_config_file', arguments: JSON.stringify({ path: DS }) }] },
      {
        toolCalls: [
          {
            id: 'c2',
            name: 'write_proposal',
            arguments: JSON.stringify({
              branch: 'feature/describe-db',
              message: `keep password ${SECRET}`,
              files: [
                {
                  path: DS,
                  content: `apiVersion: honua.io/v1\nkind: DataSource\nmetadata:\n  name: postgis-primary\n  description: main\nspec:\n  type: embedded\n  seed: sample-city\n  password: ${SECRET}\n`,
                },
              ],
            }),
          },
        ],
      },
      { text: `The datasource's password is ${SECRET}; I kept it.` },
    ]);
    closers.push(server.close);
    const env = { PATH: process.env.PATH ?? '', HOME: home, HONUA_HOME: home, NO_COLOR: '1', OPENAI_API_KEY: 'sk-test-abcdefghijklmnopqrstuvwx' };
    const { stdout, stderr } = await run(
      process.execPath,
      [AI, 'ask', '--json', '--yes', '--repo', repo, '--provider', 'openai', '--model', 'test', '--base-url', server.baseURL, 'describe the datasource'],
      { cwd: repo, env, timeout: 120_000 },
    );
    const body = JSON.parse(stdout) as { answer: string; toolCalls: Array<{ name: string; status: string }>; transcript: string };
    expect(body.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['read_config_file', 'ok'],
      ['write_proposal', 'ok'],
    ]);
    expect(body.answer).toContain(REDACTED);
    for (const [where, text] of [
      ['stdout', stdout],
      ['stderr', stderr],
      ['provider requests', JSON.stringify(server.requests.map((r) => r.body))],
      ['transcript', await readFile(body.transcript, 'utf8')],
      ['audit log', await readFile(path.join(home, 'audit', 'consultant.jsonl'), 'utf8')],
    ]) {
      expect(text, where).not.toContain(SECRET);
    }
    // The committed file keeps what the person wrote; validate keeps flagging it.
    const { stdout: committed } = await run('git', ['-C', repo, 'show', `feature/describe-db:${DS}`]);
    expect(committed).toContain(`password: ${SECRET}`);
    const validate = await honua(['validate', '--repo', repo, '--json']);
    expect(validate.stdout).toMatch(/literal-secret/);
    expect(validate.stdout).not.toContain(SECRET);
  }, 180_000);

  it('honua: error messages never carry a password, in URL or keyword form, even one with an @', async () => {
    for (const url of ['postgres://gis:p@ss-w0rd-1@127.0.0.1:1/gis', 'host=127.0.0.1 port=1 user=gis password=kw-s3cr3t-2 dbname=gis']) {
      for (const json of [[], ['--json']]) {
        const r = await honua(['db', 'inspect', '--database-url', url, ...json]);
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).not.toMatch(/p@ss-w0rd-1|ss-w0rd-1|kw-s3cr3t-2/);
        expect(r.stdout + r.stderr).toContain(REDACTED);
      }
    }
  });

  it('honua-ai mcp: the start-up lines and warnings are redacted', async () => {
    const home = await tempDir('honua-home-');
    const child = spawn(process.execPath, [AI, 'mcp', '--database-url', 'postgres://gis:mcp-s3cr3t-3@127.0.0.1:1/gis'], {
      env: { PATH: process.env.PATH ?? '', HOME: home, HONUA_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      child.stderr.on('data', () => {
        if (/warning: cannot check the database connection/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    expect(stderr).toMatch(/honua-ai mcp: read-only mode/);
    expect(stderr).toMatch(/warning: cannot check the database connection/);
    expect(stderr).not.toContain('mcp-s3cr3t-3');
    expect((await readdir(home)).length).toBeGreaterThan(0);
  }, 30_000);
});
