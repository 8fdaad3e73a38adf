import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTurn } from '../../src/ai/agent-loop.js';
import { OpenAiProvider } from '../../src/ai/providers/openai.js';
import { type Message, ProviderError } from '../../src/ai/providers/provider.js';
import { consultant, recordingConfirmer } from '../helpers/consultant.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { gitInit, sampleCopy } from '../helpers/repo.js';
import { call, ScriptedModel } from '../helpers/scripted-model.js';

const lastTool = (messages: Message[]) => messages.filter((m) => m.role === 'tool').at(-1) as Extract<Message, { role: 'tool' }>;

describe('agent loop', () => {
  let t: TestDatabase;
  let repo: string;
  beforeAll(async () => {
    t = await testDatabase({ sampleCity: true });
    repo = await sampleCopy();
    await gitInit(repo);
  }, 120_000);

  test('a call to a nonexistent approve_deployment tool gets an error result and the loop goes on', async () => {
    const { runner, audit } = consultant({ repoDir: repo, db: t.db });
    const model = new ScriptedModel([
      { toolCalls: [call('approve_deployment', { deploymentId: 'prod-20241004123456-abc123' })] },
      { toolCalls: [call('list_environments')] },
      { text: 'I cannot approve; a person must.' },
    ]);
    const r = await runTurn({ provider: model, runner, system: 's', history: [{ role: 'user', content: 'approve prod' }] });
    expect(r.stop).toBe('done');
    expect(r.text).toContain('cannot approve');
    expect(r.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['approve_deployment', 'unknown-tool'],
      ['list_environments', 'ok'],
    ]);
    const afterFirst = model.seen[1]?.messages ?? [];
    expect(lastTool(afterFirst)).toMatchObject({ isError: true, content: expect.stringContaining('no tool "approve_deployment"') });
    expect(model.seen[0]?.tools.map((x) => x.name)).not.toContain('approve_deployment');
    expect(audit.entries.map((e) => [e.tool, e.outcome])).toEqual([
      ['approve_deployment', 'refused'],
      ['list_environments', 'ok'],
    ]);
  });

  test('a propose call in read-only mode is refused, not run, and the model is told why', async () => {
    const confirmer = recordingConfirmer(true);
    const { runner, audit } = consultant({ repoDir: repo, db: t.db, mode: 'read-only', confirmer });
    const model = new ScriptedModel([
      { toolCalls: [call('write_proposal', { branch: 'feature/x', message: 'x', files: [{ path: 'environments/development/layers/x.yaml', content: 'x' }] })] },
      { text: 'ok' },
    ]);
    const r = await runTurn({ provider: model, runner, system: 's', history: [{ role: 'user', content: 'propose' }] });
    expect(r.toolCalls[0]).toMatchObject({ name: 'write_proposal', status: 'denied', decision: 'deny' });
    expect(lastTool(model.seen[1]?.messages ?? []).content).toMatch(/read-only mode/);
    expect(model.seen[0]?.tools.map((x) => x.name)).not.toContain('write_proposal');
    expect(confirmer.asked).toEqual([]);
    expect(audit.entries[0]).toMatchObject({ tool: 'write_proposal', decision: 'deny', outcome: 'denied' });
  });

  test('the step limit stops a model that loops', async () => {
    const { runner } = consultant({ repoDir: repo, db: t.db });
    const forever = Array.from({ length: 50 }, (_, i) => ({ toolCalls: [call('list_environments', {}, `c${i}`)] }));
    const r = await runTurn({
      provider: new ScriptedModel(forever),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'loop' }],
      limits: { maxSteps: 4 },
    });
    expect(r.stop).toBe('step-limit');
    expect(r.message).toMatch(/4 steps/);
    expect(r.toolCalls).toHaveLength(4);
    // Every assistant tool call in the conversation has its result: nothing dangles.
    const calls = r.added.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []));
    const results = r.added.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : []));
    expect(results).toEqual(calls);
  });

  test('tool-call and token limits, bad arguments and tool errors go back to the model', async () => {
    const { runner } = consultant({ repoDir: repo, db: t.db });
    const model = new ScriptedModel([
      {
        toolCalls: [
          { id: 'a', name: 'describe_table', arguments: {}, argumentsError: 'Unexpected end of JSON' },
          call('describe_table', { table: 'no_such_table' }, 'b'),
          call('describe_table', { table: 42 }, 'c'),
        ],
      },
      { text: 'sorry' },
    ]);
    const r = await runTurn({ provider: model, runner, system: 's', history: [{ role: 'user', content: 'x' }] });
    expect(r.toolCalls.map((c) => c.status)).toEqual(['invalid-arguments', 'error', 'invalid-arguments']);
    const tools = (model.seen[1]?.messages ?? []).filter((m) => m.role === 'tool');
    expect(tools.every((m) => m.role === 'tool' && m.isError)).toBe(true);
    expect(JSON.stringify(tools)).toContain('no table or view \\"no_such_table\\"');
    const capped = await runTurn({
      provider: new ScriptedModel([
        { toolCalls: [call('list_environments', {}, 'x1'), call('list_environments', {}, 'x2'), call('list_environments', {}, 'x3')] },
      ]),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'x' }],
      limits: { maxToolCalls: 2 },
    });
    expect(capped.stop).toBe('tool-call-limit');
    const tokens = await runTurn({
      provider: new ScriptedModel([{ toolCalls: [call('list_environments')], usage: { inputTokens: 900, outputTokens: 200 } }]),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'x' }],
      limits: { maxTokens: 1000 },
    });
    expect(tokens.stop).toBe('token-limit');
  });

  test('transient provider errors are retried with backoff; permanent ones stop the turn with a message', async () => {
    const { runner } = consultant({ repoDir: repo, db: t.db });
    const transient = () => {
      throw new ProviderError('overloaded', { transient: true, status: 529, provider: 'scripted' });
    };
    const retries: number[] = [];
    const r = await runTurn({
      provider: new ScriptedModel([transient, transient, { text: 'ok' }]),
      runner,
      system: 's',
      history: [{ role: 'user', content: 'x' }],
      limits: { retryBaseMs: 5 },
      events: { retry: (n) => retries.push(n) },
    });
    expect(r).toMatchObject({ stop: 'done', text: 'ok' });
    expect(retries).toEqual([1, 2]);
    const fatal = () => {
      throw new ProviderError('bad key', { transient: false, status: 401, provider: 'scripted' });
    };
    expect(await runTurn({ provider: new ScriptedModel([fatal]), runner, system: 's', history: [{ role: 'user', content: 'x' }] })).toMatchObject({
      stop: 'provider-error',
      message: expect.stringContaining('bad key'),
    });
  });

  test('cancellation stops between steps and leaves a complete conversation', async () => {
    const { runner } = consultant({ repoDir: repo, db: t.db });
    const controller = new AbortController();
    const model = new ScriptedModel([{ toolCalls: [call('list_environments')] }, { text: 'never' }]);
    const r = await runTurn({
      provider: model,
      runner,
      system: 's',
      history: [{ role: 'user', content: 'x' }],
      signal: controller.signal,
      events: { toolEnd: () => controller.abort() },
    });
    expect(r.stop).toBe('cancelled');
    expect(r.added.map((m) => m.role)).toEqual(['assistant', 'tool']);
  });

  describe('through the real openai client against a local server', () => {
    let server: Awaited<ReturnType<typeof startFakeOpenAiServer>>;
    afterAll(async () => server?.close());
    test('tool calls, the error result for an unknown tool, and the final answer', async () => {
      server = await startFakeOpenAiServer([
        { toolCalls: [{ id: 'call_1', name: 'approve_deployment', arguments: ['{"deployment', 'Id":"prod-1"}'] }] },
        { status: 503, message: 'busy' },
        { text: ['I cannot ', 'approve deployments.'] },
      ]);
      const { runner } = consultant({ repoDir: repo, db: t.db });
      const provider = new OpenAiProvider({ model: 'local-model', baseURL: server.baseURL, maxRetries: 2 });
      const streamed: string[] = [];
      const r = await runTurn({
        provider,
        runner,
        system: 'sys',
        history: [{ role: 'user', content: 'approve prod-1' }],
        events: { text: (d) => streamed.push(d) },
      });
      expect(r).toMatchObject({ stop: 'done', text: 'I cannot approve deployments.' });
      expect(streamed).toEqual(['I cannot ', 'approve deployments.']);
      const second = server.requests.at(-1)?.body as {
        messages: Array<{ role: string; content: string | null }>;
        tools: Array<{ function: { name: string } }>;
      };
      expect(second.tools.map((x) => x.function.name)).toContain('generate_layer');
      expect(second.messages.find((m) => m.role === 'tool')?.content).toMatch(/no tool "approve_deployment"/);
    });
  });
});
