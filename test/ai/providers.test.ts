import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AnthropicProvider,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_OPENAI_MODEL,
  OFFLINE_MODEL,
  OpenAiProvider,
  ProviderError,
  loadAiConfigFile,
  resolveProviderSettings,
} from '../../src/ai/providers/index.js';
import type { AiConfigFile, GenerateRequest, Message, Provider, ProviderFlags, ProviderSettings, StreamEvent, ToolSpec } from '../../src/ai/providers/index.js';
import { HonuaError } from '../../src/errors/index.js';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import type { FakeAnthropicResponse, FakeAnthropicServer } from '../helpers/fake-anthropic-server.js';
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js';
import type { FakeOpenAiResponse, FakeOpenAiServer } from '../helpers/fake-openai-server.js';

// The real SDK clients, through the adapters, against local fake servers on 127.0.0.1.

const KEY = 'sk-test-0123456789abcdefSECRETKEY';

const TOOLS: ToolSpec[] = [
  {
    name: 'inspect_table',
    description: 'Describe one table: columns, geometry type, SRID, indexes.',
    inputSchema: {
      type: 'object',
      properties: { table: { type: 'string', description: 'schema.table' }, sample: { type: 'integer', minimum: 0 } },
      required: ['table'],
      additionalProperties: false,
    },
  },
  { name: 'validate', description: 'Validate the configuration repository.', inputSchema: { type: 'object', properties: {} } },
];

const SYSTEM = 'You are Honua. Use the tools.';

/** A conversation with every message kind: two tool calls in one turn, one result an error. */
const CONVERSATION: Message[] = [
  { role: 'user', content: 'Publish the bike lanes table' },
  {
    role: 'assistant',
    content: 'Let me look at both candidates.',
    toolCalls: [
      { id: 'call_1', name: 'inspect_table', arguments: { table: 'public.bike_lanes' } },
      { id: 'call_2', name: 'inspect_table', arguments: { table: 'public.bikes', sample: 3 } },
    ],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'inspect_table', content: '{"columns":["id","geom"],"srid":4326}' },
  { role: 'tool', toolCallId: 'call_2', name: 'inspect_table', content: 'no table public.bikes', isError: true },
  { role: 'assistant', content: 'public.bike_lanes is the one.' },
  { role: 'user', content: 'Go ahead' },
];

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({ system: SYSTEM, messages: CONVERSATION, tools: TOOLS, ...overrides });

async function collect(provider: Provider, req: GenerateRequest) {
  const events: StreamEvent[] = [];
  const result = await provider.generate(req, (event) => events.push(event));
  return { result, events };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function openai(script: FakeOpenAiResponse[], options: { apiKey?: string; maxRetries?: number; timeoutMs?: number } = {}) {
  const server = await startFakeOpenAiServer(script);
  closers.push(server.close);
  const provider = new OpenAiProvider({
    apiKey: 'apiKey' in options ? options.apiKey : KEY,
    baseURL: server.baseURL,
    model: 'test-model',
    maxRetries: options.maxRetries,
    timeoutMs: options.timeoutMs,
  });
  return { server, provider };
}

async function anthropic(script: FakeAnthropicResponse[], options: { maxRetries?: number; timeoutMs?: number } = {}) {
  const server = await startFakeAnthropicServer(script);
  closers.push(server.close);
  const provider = new AnthropicProvider({
    apiKey: KEY,
    baseURL: server.baseURL,
    model: 'claude-test',
    maxRetries: options.maxRetries,
    timeoutMs: options.timeoutMs,
  });
  return { server, provider };
}

const bodyOf = (server: FakeOpenAiServer | FakeAnthropicServer, n = 0) => {
  const recorded = server.requests[n];
  if (!recorded) throw new Error(`no request #${n}`);
  return recorded.body;
};

describe('OpenAiProvider', () => {
  it('sends the tools, the system prompt first, and the conversation in Chat Completions form', async () => {
    const { server, provider } = await openai([{ text: 'ok' }]);
    await provider.generate(request({ maxTokens: 500 }));

    expect(server.requests).toHaveLength(1);
    const recorded = server.requests[0];
    expect(recorded?.path).toBe('/v1/chat/completions');
    expect(recorded?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = bodyOf(server);
    expect(body).toMatchObject({ model: 'test-model', stream: true, stream_options: { include_usage: true }, max_tokens: 500 });
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'inspect_table', description: TOOLS[0]?.description, parameters: TOOLS[0]?.inputSchema } },
      { type: 'function', function: { name: 'validate', description: TOOLS[1]?.description, parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.messages).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Publish the bike lanes table' },
      {
        role: 'assistant',
        content: 'Let me look at both candidates.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'inspect_table', arguments: '{"table":"public.bike_lanes"}' } },
          { id: 'call_2', type: 'function', function: { name: 'inspect_table', arguments: '{"table":"public.bikes","sample":3}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"columns":["id","geom"],"srid":4326}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: no table public.bikes' },
      { role: 'assistant', content: 'public.bike_lanes is the one.' },
      { role: 'user', content: 'Go ahead' },
    ]);
  });

  it('leaves out an empty tool list and an empty system prompt, and sends null content beside tool calls', async () => {
    const { server, provider } = await openai([{ text: 'ok' }]);
    await provider.generate({
      system: '',
      tools: [],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'validate', arguments: {} }] },
        { role: 'tool', toolCallId: 'c', name: 'validate', content: 'valid' },
      ],
    });
    const body = bodyOf(server);
    expect(body.tools).toBeUndefined();
    expect(body.max_tokens).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'validate', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'valid' },
    ]);
  });

  it('streams text as several events, in order, and reads the usage', async () => {
    const { provider } = await openai([{ text: ['The ', 'bike ', 'lanes', '.'], usage: { prompt_tokens: 120, completion_tokens: 4 } }]);
    const { result, events } = await collect(provider, request());
    expect(events).toEqual([
      { type: 'text', text: 'The ' },
      { type: 'text', text: 'bike ' },
      { type: 'text', text: 'lanes' },
      { type: 'text', text: '.' },
    ]);
    expect(result).toEqual({ text: 'The bike lanes.', toolCalls: [], stopReason: 'end', usage: { inputTokens: 120, outputTokens: 4 } });
  });

  it('reports zero usage when the server sends none', async () => {
    const { provider } = await openai([{ text: 'hi', usage: null }]);
    const { result } = await collect(provider, request());
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('assembles tool calls from argument fragments split across chunks', async () => {
    const { provider } = await openai([
      {
        text: 'Checking.',
        toolCalls: [
          { id: 'call_a', name: 'inspect_table', arguments: ['{"ta', 'ble": "public.', 'bike_lanes", "sam', 'ple": 5}'] },
          { id: 'call_b', name: 'validate', arguments: ['{', '}'] },
        ],
      },
    ]);
    const { result, events } = await collect(provider, request());
    const calls = [
      { id: 'call_a', name: 'inspect_table', arguments: { table: 'public.bike_lanes', sample: 5 } },
      { id: 'call_b', name: 'validate', arguments: {} },
    ];
    expect(result.toolCalls).toEqual(calls);
    expect(result.stopReason).toBe('tool-calls');
    expect(result.text).toBe('Checking.');
    expect(events).toEqual([{ type: 'text', text: 'Checking.' }, ...calls.map((call) => ({ type: 'tool-call', call }))]);
  });

  it('reports malformed tool-call JSON as argumentsError with empty arguments', async () => {
    const { provider } = await openai([
      {
        toolCalls: [
          { id: 'bad', name: 'inspect_table', arguments: ['{"table": "public.bike', '_lanes"'] },
          { id: 'list', name: 'validate', arguments: '[1, 2]' },
        ],
      },
    ]);
    const { result } = await collect(provider, request());
    expect(result.toolCalls[0]).toMatchObject({ id: 'bad', name: 'inspect_table', arguments: {} });
    expect(result.toolCalls[0]?.argumentsError).toMatch(/not valid JSON.*public\.bike_lanes/);
    expect(result.toolCalls[1]).toMatchObject({ id: 'list', arguments: {}, argumentsError: expect.stringMatching(/JSON object/) });
  });

  it('treats tool calls finished with "stop" (as some compatible servers send) as tool calls, and "length" as max-tokens', async () => {
    const { provider } = await openai([
      { toolCalls: [{ id: 'c', name: 'validate', arguments: '{}' }], finishReason: 'stop' },
      { text: 'cut o', finishReason: 'length' },
    ]);
    expect((await provider.generate(request())).stopReason).toBe('tool-calls');
    expect((await provider.generate(request())).stopReason).toBe('max-tokens');
  });

  it.each([500, 429])('retries a %i and succeeds', async (status) => {
    const { server, provider } = await openai([{ status }, { text: 'recovered' }]);
    const { result } = await collect(provider, request());
    expect(result.text).toBe('recovered');
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a 500 that outlasts the retries as a transient ProviderError', async () => {
    const { server, provider } = await openai([{ status: 500 }, { status: 500 }, { status: 500 }], { maxRetries: 2 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true, status: 500, code: 'provider-error' });
    expect(server.requests).toHaveLength(3);
  });

  it('surfaces a 401 as a non-transient ProviderError without the key, and does not retry it', async () => {
    const { server, provider } = await openai([
      { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}.` },
    ]);
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    const providerError = error as ProviderError;
    expect(providerError).toMatchObject({ transient: false, status: 401 });
    expect(providerError.message).toContain('401');
    expect(providerError.message).not.toContain(KEY);
    expect(providerError.message).not.toContain('SECRETKEY');
    expect(JSON.stringify(providerError.toJSON())).not.toContain(KEY);
    expect(providerError.hint).toMatch(/key/i);
    expect(server.requests).toHaveLength(1);
  });

  it('sends a placeholder key to a local server when none is given', async () => {
    const { server, provider } = await openai([{ text: 'hi' }], { apiKey: undefined });
    await provider.generate(request());
    expect(server.requests[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('refuses to start with neither a key nor a base URL', () => {
    expect(() => new OpenAiProvider({ model: 'gpt' })).toThrow(expect.objectContaining({ code: 'provider-not-configured' }));
  });

  it('uses max_completion_tokens against api.openai.com (through the fetch option)', async () => {
    const server = await startFakeOpenAiServer([{ text: 'hi' }]);
    closers.push(server.close);
    const redirect: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      expect(url.startsWith('https://api.openai.com/v1/')).toBe(true);
      return fetch(url.replace('https://api.openai.com/v1', server.baseURL), init);
    };
    const provider = new OpenAiProvider({ apiKey: KEY, model: 'gpt-test', fetch: redirect });
    await provider.generate(request({ maxTokens: 321 }));
    expect(bodyOf(server)).toMatchObject({ max_completion_tokens: 321 });
    expect(bodyOf(server).max_tokens).toBeUndefined();
  });

  it('rejects with an AbortError when the caller aborts mid-stream', async () => {
    const { provider } = await openai([{ text: ['one ', 'two ', 'three ', 'four '], delayMs: 50 }]);
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const error = await failure(
      provider.generate(request({ signal: controller.signal }), (event) => {
        events.push(event);
        controller.abort();
      }),
    );
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).name).toBe('AbortError');
    expect(events.length).toBeLessThan(4);
  });

  it('rejects with an AbortError when the signal is already aborted', async () => {
    const { provider } = await openai([{ text: 'never' }]);
    const error = await failure(provider.generate(request({ signal: AbortSignal.abort() })));
    expect((error as Error).name).toBe('AbortError');
  });

  it('rethrows an exception from the event callback untouched', async () => {
    const { provider } = await openai([{ text: ['a', 'b'] }]);
    const boom = new Error('callback failed');
    const error = await failure(
      provider.generate(request(), () => {
        throw boom;
      }),
    );
    expect(error).toBe(boom);
  });

  it('reports a stream that stops before the model finished as transient', async () => {
    const { provider } = await openai([{ text: 'half an ans', endEarly: true }], { maxRetries: 0 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true });
  });

  it('gives up on a stream that goes silent for longer than the timeout, as transient', async () => {
    const { provider } = await openai([{ text: ['a', 'b'], delayMs: 400 }], { maxRetries: 0, timeoutMs: 100 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true });
    // The stream's idle timer, or the SDK's wait for headers on a slow machine: either way transient.
    expect((error as Error).message).toMatch(/no response|timed out/);
  });

  it('reports a server that is not running as a transient connection error', async () => {
    const server = await startFakeOpenAiServer();
    const baseURL = server.baseURL;
    await server.close();
    const provider = new OpenAiProvider({ baseURL, model: 'm', maxRetries: 0 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true });
    expect((error as ProviderError).message).toMatch(/cannot reach/);
  });
});

describe('AnthropicProvider', () => {
  it('sends system, tools with input_schema, max_tokens, and merges consecutive tool results into one user turn', async () => {
    const { server, provider } = await anthropic([{ text: 'ok' }]);
    await provider.generate(request());

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(JSON.stringify(server.requests[0]?.headers)).toContain(KEY);
    const body = bodyOf(server);
    expect(body).toMatchObject({ model: 'claude-test', stream: true, system: SYSTEM, max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS });
    expect(body.tools).toEqual([
      { name: 'inspect_table', description: TOOLS[0]?.description, input_schema: TOOLS[0]?.inputSchema },
      { name: 'validate', description: TOOLS[1]?.description, input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Publish the bike lanes table' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look at both candidates.' },
          { type: 'tool_use', id: 'call_1', name: 'inspect_table', input: { table: 'public.bike_lanes' } },
          { type: 'tool_use', id: 'call_2', name: 'inspect_table', input: { table: 'public.bikes', sample: 3 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '{"columns":["id","geom"],"srid":4326}' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'no table public.bikes', is_error: true },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'public.bike_lanes is the one.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Go ahead' }] },
    ]);
  });

  it('puts a user message that follows tool results into the same user turn, after them; honours maxTokens', async () => {
    const { server, provider } = await anthropic([{ text: 'ok' }]);
    await provider.generate({
      system: '',
      tools: [],
      maxTokens: 99,
      messages: [
        { role: 'user', content: 'check' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'validate', arguments: {} }] },
        { role: 'tool', toolCallId: 't1', name: 'validate', content: 'valid' },
        { role: 'user', content: 'now plan' },
      ],
    });
    const body = bodyOf(server);
    expect(body.system).toBeUndefined();
    expect(body.tools).toBeUndefined();
    expect(body.max_tokens).toBe(99);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'check' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'validate', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'valid' },
          { type: 'text', text: 'now plan' },
        ],
      },
    ]);
  });

  it('streams text as several events, in order, and reads usage from message_start and message_delta', async () => {
    const { provider } = await anthropic([{ text: ['Publishing ', 'bike ', 'lanes.'], usage: { input_tokens: 250, output_tokens: 9 } }]);
    const { result, events } = await collect(provider, request());
    expect(events).toEqual([
      { type: 'text', text: 'Publishing ' },
      { type: 'text', text: 'bike ' },
      { type: 'text', text: 'lanes.' },
    ]);
    expect(result).toEqual({ text: 'Publishing bike lanes.', toolCalls: [], stopReason: 'end', usage: { inputTokens: 250, outputTokens: 9 } });
  });

  it('assembles tool calls from input_json_delta fragments', async () => {
    const { provider } = await anthropic([
      {
        text: 'Looking.',
        toolUses: [
          { id: 'toolu_1', name: 'inspect_table', input: ['{"table"', ': "public.bi', 'ke_lanes", "sample": ', '2}'] },
          { id: 'toolu_2', name: 'validate', input: [] },
        ],
      },
    ]);
    const { result, events } = await collect(provider, request());
    const calls = [
      { id: 'toolu_1', name: 'inspect_table', arguments: { table: 'public.bike_lanes', sample: 2 } },
      { id: 'toolu_2', name: 'validate', arguments: {} },
    ];
    expect(result.toolCalls).toEqual(calls);
    expect(result.stopReason).toBe('tool-calls');
    expect(events).toEqual([{ type: 'text', text: 'Looking.' }, ...calls.map((call) => ({ type: 'tool-call', call }))]);
  });

  it('reports malformed tool input JSON as argumentsError with empty arguments', async () => {
    const { provider } = await anthropic([{ toolUses: [{ id: 'toolu_bad', name: 'inspect_table', input: ['{"table": ', 'public.bike_lanes}'] }] }]);
    const { result } = await collect(provider, request());
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ id: 'toolu_bad', name: 'inspect_table', arguments: {} });
    expect(result.toolCalls[0]?.argumentsError).toMatch(/not valid JSON/);
  });

  it('maps max_tokens to max-tokens', async () => {
    const { provider } = await anthropic([{ text: 'cut', stopReason: 'max_tokens' }]);
    expect((await provider.generate(request())).stopReason).toBe('max-tokens');
  });

  it.each([529, 429, 500])('retries a %i and succeeds', async (status) => {
    const { server, provider } = await anthropic([{ status }, { text: 'recovered' }]);
    const { result } = await collect(provider, request());
    expect(result.text).toBe('recovered');
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a 529 that outlasts the retries as a transient ProviderError', async () => {
    const { server, provider } = await anthropic([{ status: 529 }, { status: 529 }], { maxRetries: 1 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true, status: 529 });
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces an overloaded error inside the stream as transient', async () => {
    const { provider } = await anthropic([{ text: 'partial', streamError: { type: 'overloaded_error', message: 'Overloaded' } }], { maxRetries: 0 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true });
  });

  it('surfaces a 401 as a non-transient ProviderError without the key, and does not retry it', async () => {
    const { server, provider } = await anthropic([{ status: 401, message: `invalid x-api-key ${KEY}` }]);
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    const providerError = error as ProviderError;
    expect(providerError).toMatchObject({ transient: false, status: 401 });
    expect(providerError.message).not.toContain(KEY);
    expect(providerError.message).not.toContain('SECRETKEY');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with an AbortError when the caller aborts mid-stream', async () => {
    const { provider } = await anthropic([{ text: ['one ', 'two ', 'three '], delayMs: 20 }]);
    const controller = new AbortController();
    const error = await failure(provider.generate(request({ signal: controller.signal }), () => controller.abort()));
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('reports a stream that stops before message_stop as transient', async () => {
    const { provider } = await anthropic([{ text: 'half', endEarly: true }], { maxRetries: 0 });
    const error = await failure(provider.generate(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ transient: true });
  });
});

describe('resolveProviderSettings', () => {
  const OPENAI = 'sk-openai-key-value-1234567890';
  const ANTHROPIC = 'sk-ant-key-value-1234567890';
  const LOCAL = 'http://127.0.0.1:11434/v1';

  const cases: { name: string; flags?: ProviderFlags; env?: NodeJS.ProcessEnv; file?: AiConfigFile; expected: ProviderSettings }[] = [
    { name: 'nothing configured: offline', expected: { provider: 'offline', model: OFFLINE_MODEL, source: 'default: no key configured' } },
    {
      name: 'OPENAI_API_KEY alone: openai',
      env: { OPENAI_API_KEY: OPENAI },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, apiKey: OPENAI, source: 'OPENAI_API_KEY' },
    },
    {
      name: 'ANTHROPIC_API_KEY alone: anthropic',
      env: { ANTHROPIC_API_KEY: ANTHROPIC },
      expected: { provider: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL, apiKey: ANTHROPIC, source: 'ANTHROPIC_API_KEY' },
    },
    {
      name: 'both keys: openai',
      env: { OPENAI_API_KEY: OPENAI, ANTHROPIC_API_KEY: ANTHROPIC },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, apiKey: OPENAI, source: 'OPENAI_API_KEY' },
    },
    {
      name: 'flag --provider beats key inference and takes its own key',
      flags: { provider: 'anthropic' },
      env: { OPENAI_API_KEY: OPENAI, ANTHROPIC_API_KEY: ANTHROPIC },
      expected: { provider: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL, apiKey: ANTHROPIC, source: 'flag --provider' },
    },
    {
      name: 'flag --provider beats HONUA_AI_PROVIDER',
      flags: { provider: 'openai' },
      env: { HONUA_AI_PROVIDER: 'anthropic', OPENAI_API_KEY: OPENAI, ANTHROPIC_API_KEY: ANTHROPIC },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, apiKey: OPENAI, source: 'flag --provider' },
    },
    {
      name: 'HONUA_AI_PROVIDER beats the config file',
      env: { HONUA_AI_PROVIDER: 'Anthropic', ANTHROPIC_API_KEY: ANTHROPIC, OPENAI_API_KEY: OPENAI },
      file: { provider: 'openai', model: 'gpt-from-file' },
      expected: { provider: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL, apiKey: ANTHROPIC, source: 'HONUA_AI_PROVIDER' },
    },
    {
      name: 'the config file beats key inference, and its model applies',
      env: { OPENAI_API_KEY: OPENAI, ANTHROPIC_API_KEY: ANTHROPIC },
      file: { provider: 'anthropic', model: 'claude-from-file' },
      expected: { provider: 'anthropic', model: 'claude-from-file', apiKey: ANTHROPIC, source: 'config file' },
    },
    {
      name: 'model: flag beats HONUA_AI_MODEL beats file',
      flags: { model: 'flag-model' },
      env: { HONUA_AI_MODEL: 'env-model', OPENAI_API_KEY: OPENAI },
      file: { model: 'file-model' },
      expected: { provider: 'openai', model: 'flag-model', apiKey: OPENAI, source: 'OPENAI_API_KEY' },
    },
    {
      name: 'model: HONUA_AI_MODEL beats file',
      env: { HONUA_AI_MODEL: 'env-model', OPENAI_API_KEY: OPENAI },
      file: { model: 'file-model' },
      expected: { provider: 'openai', model: 'env-model', apiKey: OPENAI, source: 'OPENAI_API_KEY' },
    },
    {
      name: 'a file written for another provider lends it neither model nor base URL',
      flags: { provider: 'openai' },
      env: { OPENAI_API_KEY: OPENAI },
      file: { provider: 'anthropic', model: 'claude-from-file', baseUrl: 'https://proxy.example/anthropic' },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, apiKey: OPENAI, source: 'flag --provider' },
    },
    {
      name: 'flag --base-url alone: openai-compatible local server, no key needed',
      flags: { baseUrl: LOCAL, model: 'llama3.1' },
      expected: { provider: 'openai', model: 'llama3.1', baseUrl: LOCAL, source: 'flag --base-url' },
    },
    {
      name: 'flag --base-url beats HONUA_AI_BASE_URL beats file',
      flags: { provider: 'openai', baseUrl: LOCAL },
      env: { HONUA_AI_BASE_URL: 'http://127.0.0.1:8000/v1' },
      file: { baseUrl: 'http://127.0.0.1:1234/v1' },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, baseUrl: LOCAL, source: 'flag --provider' },
    },
    {
      name: 'HONUA_AI_BASE_URL with HONUA_AI_PROVIDER=openai and a key keeps the key',
      env: { HONUA_AI_PROVIDER: 'openai', HONUA_AI_BASE_URL: LOCAL, OPENAI_API_KEY: OPENAI },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, baseUrl: LOCAL, apiKey: OPENAI, source: 'HONUA_AI_PROVIDER' },
    },
    {
      name: 'a base URL in the file beats key inference',
      env: { ANTHROPIC_API_KEY: ANTHROPIC },
      file: { baseUrl: LOCAL },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, baseUrl: LOCAL, source: 'config file' },
    },
    {
      name: 'apiKeyEnv in the file names the key variable',
      env: { MY_KEY: 'sk-custom-key-1234567890', HONUA_AI_PROVIDER: 'openai' },
      file: { apiKeyEnv: 'MY_KEY' },
      expected: { provider: 'openai', model: DEFAULT_OPENAI_MODEL, apiKey: 'sk-custom-key-1234567890', source: 'HONUA_AI_PROVIDER' },
    },
    {
      name: 'offline when asked, whatever keys exist',
      flags: { provider: 'offline', model: 'ignored' },
      env: { OPENAI_API_KEY: OPENAI },
      expected: { provider: 'offline', model: OFFLINE_MODEL, source: 'flag --provider' },
    },
    {
      name: 'blank values count as unset',
      flags: { provider: ' ', model: '' },
      env: { HONUA_AI_PROVIDER: '', OPENAI_API_KEY: '  ', ANTHROPIC_API_KEY: ANTHROPIC },
      expected: { provider: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL, apiKey: ANTHROPIC, source: 'ANTHROPIC_API_KEY' },
    },
  ];

  it.each(cases)('$name', ({ flags, env, file, expected }) => {
    const settings = resolveProviderSettings({ flags: flags ?? {}, env: env ?? {}, file });
    expect(settings).toEqual(expected);
    for (const key of [OPENAI, ANTHROPIC, 'sk-custom-key-1234567890']) expect(settings.source).not.toContain(key);
  });

  const failures: { name: string; flags?: ProviderFlags; env?: NodeJS.ProcessEnv; file?: AiConfigFile; code: string; mentions: RegExp }[] = [
    {
      name: 'openai chosen with neither key nor base URL',
      flags: { provider: 'openai' },
      code: 'provider-not-configured',
      mentions: /OPENAI_API_KEY[\s\S]*--base-url/,
    },
    {
      name: 'anthropic chosen without a key',
      env: { HONUA_AI_PROVIDER: 'anthropic', OPENAI_API_KEY: OPENAI },
      code: 'provider-not-configured',
      mentions: /ANTHROPIC_API_KEY/,
    },
    {
      name: 'apiKeyEnv names a variable that is not set (no fallback to OPENAI_API_KEY)',
      env: { OPENAI_API_KEY: OPENAI },
      file: { provider: 'openai', apiKeyEnv: 'MY_MISSING_KEY' },
      code: 'provider-not-configured',
      mentions: /MY_MISSING_KEY/,
    },
    { name: 'an unknown provider', flags: { provider: 'ollama' }, code: 'provider-unknown', mentions: /openai, anthropic, offline/ },
  ];

  it.each(failures)('throws: $name', ({ flags, env, file, code, mentions }) => {
    let thrown: unknown;
    try {
      resolveProviderSettings({ flags: flags ?? {}, env: env ?? {}, file });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HonuaError);
    const error = thrown as HonuaError;
    expect(error.code).toBe(code);
    expect(`${error.message}\n${error.hint ?? ''}`).toMatch(mentions);
    expect(JSON.stringify(error.toJSON())).not.toContain(OPENAI);
  });
});

describe('loadAiConfigFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'honua-ai-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('returns undefined when the file does not exist', () => {
    expect(loadAiConfigFile(path.join(dir, 'absent.yaml'))).toBeUndefined();
  });

  it('reads provider, model, baseUrl and apiKeyEnv', () => {
    const file = write('ok.yaml', 'provider: openai\nmodel: qwen2.5-coder\nbaseUrl: http://127.0.0.1:11434/v1\napiKeyEnv: LOCAL_KEY\n');
    expect(loadAiConfigFile(file)).toEqual({ provider: 'openai', model: 'qwen2.5-coder', baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: 'LOCAL_KEY' });
  });

  it('reads an empty file as no settings', () => {
    expect(loadAiConfigFile(write('empty.yaml', ''))).toEqual({});
  });

  it.each([
    ['bad-yaml.yaml', 'provider: [openai\n', /not valid YAML/],
    ['bad-provider.yaml', 'provider: ollama\n', /provider/],
    ['unknown-key.yaml', 'provider: openai\ntemperature: 0.2\n', /temperature/],
    ['bad-url.yaml', 'baseUrl: localhost:11434\n', /baseUrl/],
    ['bad-env.yaml', 'apiKeyEnv: sk-not-a-name\n', /apiKeyEnv/],
    ['list.yaml', '- openai\n', /invalid/],
  ])('refuses %s with a clear message', (name, text, mentions) => {
    const file = write(name, text);
    expect(() => loadAiConfigFile(file)).toThrow(expect.objectContaining({ code: 'ai-config-invalid', message: expect.stringMatching(mentions) }));
    expect(() => loadAiConfigFile(file)).toThrow(file);
  });

  it('refuses a key written into the file without repeating it', () => {
    const file = write('key.yaml', 'provider: openai\napiKey: sk-live-should-not-be-here-123456\n');
    let thrown: unknown;
    try {
      loadAiConfigFile(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HonuaError);
    const error = thrown as HonuaError;
    expect(error.code).toBe('ai-config-invalid');
    expect(error.hint).toMatch(/apiKeyEnv/);
    expect(JSON.stringify(error.toJSON())).not.toContain('should-not-be-here');
  });
});
