import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for Anthropic's Messages API: `POST /v1/messages` answered with the SSE
 * event sequence the real API streams (message_start, content_block_start/delta/stop per block,
 * message_delta, message_stop, with a ping in between). Each request takes the next scripted
 * response from the queue; an empty queue answers 500 with `x-should-retry: false`, so a test that
 * asks more than it scripted fails at once instead of retrying. Every request is recorded (body
 * parsed as JSON, headers lower-cased) for assertions. Listens on 127.0.0.1 only.
 */

/** One tool_use block. `input` is the streamed JSON text; as an array it is sent as that many input_json_delta fragments. */
export interface FakeAnthropicToolUse {
  id: string;
  name: string;
  input: string | string[];
}

/** A streamed message: a text block (when `text` is given) then one block per tool use. */
export interface FakeAnthropicMessage {
  /** As an array: that many text_delta events, in order. */
  text?: string | string[];
  toolUses?: FakeAnthropicToolUse[];
  /** Defaults to 'tool_use' when there are tool uses, else 'end_turn'. */
  stopReason?: string;
  /** Defaults to 13 input / 5 output tokens; input is reported in message_start, output in message_delta. */
  usage?: { input_tokens: number; output_tokens: number };
  /** Pause between events, for tests that cancel or time out mid-stream. */
  delayMs?: number;
  /** Stop after the content blocks, before message_delta and message_stop, as a dropped connection would. */
  endEarly?: boolean;
  /** Send an `event: error` with this body's error after the content blocks, as the API does when overloaded mid-stream. */
  streamError?: { type: string; message: string };
}

/** An HTTP error answer with Anthropic's error body. `retry-after-ms: 10` is sent unless headers say otherwise. */
export interface FakeAnthropicError {
  status: number;
  /** e.g. overloaded_error, rate_limit_error, authentication_error; derived from the status when absent. */
  errorType?: string;
  message?: string;
  headers?: Record<string, string>;
}

/** Raw events `{ event, data }`, sent as they are, for wire shapes the other forms cannot express. */
export interface FakeAnthropicRaw {
  events: { event: string; data: unknown }[];
}

export type FakeAnthropicResponse = FakeAnthropicMessage | FakeAnthropicError | FakeAnthropicRaw;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeAnthropicServer {
  /** The base URL to give a client (the SDK appends /v1/messages). */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Scripted responses not yet used. */
  readonly pending: number;
  enqueue(...responses: FakeAnthropicResponse[]): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startFakeAnthropicServer(script: FakeAnthropicResponse[] = []): Promise<FakeAnthropicServer> {
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

      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') {
        return sendError(res, { status: 404, message: `fake server: no route ${req.method} ${req.url}`, headers: { 'x-should-retry': 'false' } });
      }
      const next = queue.shift();
      if (!next) return sendError(res, { status: 500, message: 'fake server: no scripted response left', headers: { 'x-should-retry': 'false' } });
      if ('status' in next) return sendError(res, next);

      const model = typeof body.model === 'string' ? body.model : 'fake-model';
      const events = 'events' in next ? next.events : messageEvents(next, `msg_fake_${++count}`, model);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': `req_fake_${count}` });
      // Headers go out at once, as a real server's do: the client's timeout covers only the wait for them.
      res.flushHeaders();
      for (const { event, data } of events) {
        if (res.destroyed) return;
        if ('delayMs' in next && next.delayMs) await sleep(next.delayMs);
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      }
      if ('endEarly' in next && next.endEarly) {
        res.destroy();
        return;
      }
      res.end();
    })().catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
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

function messageEvents(message: FakeAnthropicMessage, id: string, model: string): { event: string; data: unknown }[] {
  const usage = message.usage ?? { input_tokens: 13, output_tokens: 5 };
  const events: { event: string; data: unknown }[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input_tokens, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: null },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  let index = 0;
  if (message.text !== undefined) {
    const texts = Array.isArray(message.text) ? message.text : [message.text];
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
    for (const text of texts) events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } });
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    index++;
  }
  for (const use of message.toolUses ?? []) {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: use.id, name: use.name, input: {} } },
    });
    const fragments = Array.isArray(use.input) ? use.input : [use.input];
    for (const partial_json of fragments) {
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    index++;
  }
  if (message.streamError) {
    events.push({ event: 'error', data: { type: 'error', error: message.streamError } });
    return events;
  }
  if (message.endEarly) return events;
  const stopReason = message.stopReason ?? (message.toolUses?.length ? 'tool_use' : 'end_turn');
  events.push({
    event: 'message_delta',
    data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

function sendError(res: http.ServerResponse, error: FakeAnthropicError): void {
  const type = error.errorType ?? ERROR_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  const body = { type: 'error', error: { type, message: error.message ?? `fake ${type}` } };
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
