import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for an OpenAI-compatible Chat Completions server (OpenAI, Ollama, vLLM,
 * llama.cpp, LM Studio all speak this): `POST /v1/chat/completions` answered with SSE chunks.
 * Each request takes the next scripted response from the queue; an empty queue answers 500 with
 * `x-should-retry: false`, so a test that asks more than it scripted fails at once instead of
 * retrying. Every request is recorded (body parsed as JSON, headers lower-cased) for assertions.
 * Listens on 127.0.0.1 only.
 */

/** One tool call to stream. `arguments` as an array is sent as that many fragments, in order. */
export interface FakeOpenAiToolCall {
  id: string;
  name: string;
  arguments: string | string[];
}

/** A streamed completion. `text` as an array is sent as that many content chunks, in order. */
export interface FakeOpenAiCompletion {
  text?: string | string[];
  toolCalls?: FakeOpenAiToolCall[];
  /** Defaults to 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: string;
  /** The final usage chunk; null sends none. Defaults to 11 prompt / 7 completion tokens. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Pause between chunks, for tests that cancel or time out mid-stream. */
  delayMs?: number;
  /** Stop after the content, before finish_reason and [DONE], as a dropped connection would. */
  endEarly?: boolean;
}

/** An HTTP error answer with OpenAI's error body. `retry-after-ms: 10` is sent unless headers say otherwise. */
export interface FakeOpenAiError {
  status: number;
  message?: string;
  type?: string;
  code?: string;
  headers?: Record<string, string>;
}

/** Raw chunk objects, sent as they are (then [DONE]), for wire shapes the other forms cannot express. */
export interface FakeOpenAiRaw {
  chunks: unknown[];
}

export type FakeOpenAiResponse = FakeOpenAiCompletion | FakeOpenAiError | FakeOpenAiRaw;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeOpenAiServer {
  /** The base URL to give a client, ending in /v1. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Scripted responses not yet used. */
  readonly pending: number;
  enqueue(...responses: FakeOpenAiResponse[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAiServer(script: FakeOpenAiResponse[] = []): Promise<FakeOpenAiServer> {
  const queue = [...script];
  const requests: RecordedRequest[] = [];
  let count = 0;

  const server = http.createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { unparsed: raw };
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body });

      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        return sendError(res, { status: 404, message: `fake server: no route ${req.method} ${req.url}`, headers: { 'x-should-retry': 'false' } });
      }
      const next = queue.shift();
      if (!next) return sendError(res, { status: 500, message: 'fake server: no scripted response left', headers: { 'x-should-retry': 'false' } });
      if ('status' in next) return sendError(res, next);

      const id = `chatcmpl-fake-${++count}`;
      const model = typeof body.model === 'string' ? body.model : 'fake-model';
      const chunks = 'chunks' in next ? next.chunks : completionChunks(next, id, model);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      // Headers go out at once, as a real server's do: the client's timeout covers only the wait for them.
      res.flushHeaders();
      for (const chunk of chunks) {
        if (res.destroyed) return;
        if ('delayMs' in next && next.delayMs) await sleep(next.delayMs);
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
      if ('endEarly' in next && next.endEarly) {
        res.destroy();
        return;
      }
      res.end('data: [DONE]\n\n');
    })().catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get pending() {
      return queue.length;
    },
    enqueue: (...responses) => void queue.push(...responses),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The chunks a real server sends: role, content pieces, tool call head then argument fragments, finish, usage. */
function completionChunks(completion: FakeOpenAiCompletion, id: string, model: string): unknown[] {
  const base = { id, object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  const chunks: unknown[] = [choice({ role: 'assistant', content: '' })];
  const texts = completion.text === undefined ? [] : Array.isArray(completion.text) ? completion.text : [completion.text];
  for (const text of texts) chunks.push(choice({ content: text }));
  (completion.toolCalls ?? []).forEach((call, index) => {
    chunks.push(choice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    const fragments = Array.isArray(call.arguments) ? call.arguments : [call.arguments];
    for (const fragment of fragments) chunks.push(choice({ tool_calls: [{ index, function: { arguments: fragment } }] }));
  });
  if (completion.endEarly) return chunks;
  const finishReason = completion.finishReason ?? (completion.toolCalls?.length ? 'tool_calls' : 'stop');
  chunks.push(choice({}, finishReason));
  const usage = completion.usage === undefined ? { prompt_tokens: 11, completion_tokens: 7 } : completion.usage;
  if (usage) chunks.push({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  return chunks;
}

function sendError(res: http.ServerResponse, error: FakeOpenAiError): void {
  const body = {
    error: { message: error.message ?? `fake error ${error.status}`, type: error.type ?? 'server_error', param: null, code: error.code ?? null },
  };
  res.writeHead(error.status, { 'content-type': 'application/json', 'retry-after-ms': '10', ...error.headers });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
