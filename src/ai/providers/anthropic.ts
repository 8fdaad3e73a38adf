import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, AnthropicError } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  StopReason,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { HonuaError } from '../../errors/index.js';
import {
  ProviderError,
  isTransientStatus,
  type GenerateRequest,
  type GenerateResult,
  type Message,
  type Provider,
  type StreamEvent,
  type ToolCall,
  type ToolSpec,
  type Usage,
} from './provider.js';
import { consumeStream } from './consume-stream.js';
import { DEFAULT_TIMEOUT_MS, endedEarly, PLACEHOLDER_API_KEY, parseArguments, redact, rootCause, silentFor } from './wire.js';

/**
 * The Provider for Anthropic's Messages API: one streamed `messages.create` per turn through the
 * official SDK.
 *
 * Contracts:
 * - Configuration comes only from the options; the adapter reads no environment variable or
 *   credential file (the SDK's own fallbacks are switched off), so settings.ts is the one place that
 *   decides which key and server are used.
 * - Transport retries are the SDK's (`maxRetries`, default 2, honouring retry-after; 529 overloaded
 *   is retried like any 5xx). What still fails becomes a ProviderError whose `transient` says
 *   whether another attempt may succeed.
 * - When `request.signal` aborts, `generate` rejects with the signal's reason, as fetch does (a
 *   DOMException named AbortError unless the caller gave another reason), never with a ProviderError.
 * - The key never appears in an error message.
 */

export interface AnthropicProviderOptions {
  /** Required for api.anthropic.com; a proxy (a baseURL) gets a placeholder when none is given. */
  apiKey?: string;
  /** Default: https://api.anthropic.com. The SDK appends /v1/messages. */
  baseURL?: string;
  model: string;
  /** max_tokens when the request names none: the API requires one. Default 4096. */
  maxTokens?: number;
  /** SDK retries on connection errors, 408/409/429/5xx. Default 2. */
  maxRetries?: number;
  /** Time allowed to receive the response headers, and then the longest silence inside the stream. Default 10 minutes. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

export class AnthropicProvider implements Provider {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly baseURL: string | undefined;
  private readonly maxTokens: number;
  private readonly timeoutMs: number;

  constructor(options: AnthropicProviderOptions) {
    if (!options.apiKey && !options.baseURL) {
      throw new HonuaError('provider-not-configured', 'the Anthropic provider needs an API key', {
        hint: 'Set ANTHROPIC_API_KEY (or name another variable with apiKeyEnv in the AI config file).',
      });
    }
    this.model = options.model;
    this.apiKey = options.apiKey || PLACEHOLDER_API_KEY;
    this.baseURL = options.baseURL;
    this.maxTokens = options.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new Anthropic({
      // An explicit key also keeps the SDK from its credential chain (ANTHROPIC_AUTH_TOKEN, profiles on disk).
      apiKey: this.apiKey,
      // null, not undefined: undefined would make the SDK read ANTHROPIC_BASE_URL.
      baseURL: options.baseURL ?? null,
      maxRetries: options.maxRetries ?? 2,
      timeout: this.timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async generate(request: GenerateRequest, onEvent?: (event: StreamEvent) => void): Promise<GenerateResult> {
    const params: MessageCreateParamsStreaming = {
      model: this.model,
      max_tokens: request.maxTokens ?? this.maxTokens,
      messages: toAnthropicMessages(request.messages),
      stream: true,
      ...(request.system ? { system: request.system } : {}),
      ...(request.tools.length > 0 ? { tools: request.tools.map(toAnthropicTool) } : {}),
    };

    // Content blocks by their stream index; only text and tool_use matter here (thinking is skipped).
    const blocks = new Map<number, { kind: 'text' } | { kind: 'tool'; id: string; name: string; json: string; initial: unknown }>();
    const toolCalls: ToolCall[] = [];
    let text = '';
    let stopReason: StopReason | null = null;
    let stopped = false;
    let inputTokens = 0;
    let outputTokens = 0;
    await consumeStream<RawMessageStreamEvent>({
      signal: request.signal,
      idleTimeoutMs: this.timeoutMs,
      onEvent,
      open: (signal) => this.client.messages.create(params, { signal }),
      each: (event, emit) => {
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            // Cached prompt tokens are reported apart from input_tokens; the prompt is all of them.
            inputTokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
            outputTokens = u.output_tokens ?? 0;
            break;
          }
          case 'content_block_start': {
            const block = event.content_block;
            if (block.type === 'text') {
              blocks.set(event.index, { kind: 'text' });
              if (block.text) {
                text += block.text;
                emit({ type: 'text', text: block.text });
              }
            } else if (block.type === 'tool_use') {
              blocks.set(event.index, { kind: 'tool', id: block.id, name: block.name, json: '', initial: block.input });
            }
            break;
          }
          case 'content_block_delta': {
            const block = blocks.get(event.index);
            if (event.delta.type === 'text_delta' && block?.kind === 'text') {
              text += event.delta.text;
              emit({ type: 'text', text: event.delta.text });
            } else if (event.delta.type === 'input_json_delta' && block?.kind === 'tool') {
              block.json += event.delta.partial_json;
            }
            break;
          }
          case 'content_block_stop': {
            const block = blocks.get(event.index);
            if (block?.kind === 'tool') {
              // No fragments means the input came whole in content_block_start (it is {} for a call without input).
              const parsed = block.json.trim() === '' ? inputFromStart(block.initial) : parseArguments(block.json);
              const call: ToolCall = { id: block.id, name: block.name, ...parsed };
              toolCalls.push(call);
              emit({ type: 'tool-call', call });
            }
            break;
          }
          case 'message_delta': {
            if (event.delta.stop_reason) stopReason = event.delta.stop_reason;
            // message_delta usage is cumulative for the whole message.
            if (typeof event.usage.output_tokens === 'number') outputTokens = event.usage.output_tokens;
            if (typeof event.usage.input_tokens === 'number') {
              inputTokens = event.usage.input_tokens + (event.usage.cache_creation_input_tokens ?? 0) + (event.usage.cache_read_input_tokens ?? 0);
            }
            break;
          }
          case 'message_stop':
            stopped = true;
            break;
        }
      },
      idleTimeout: (cause) => this.idleTimeout(cause),
      wrap: (error) => this.wrap(error),
    });
    if (!stopped && stopReason === null) {
      throw endedEarly(this.name, this.where());
    }

    const usage: Usage = { inputTokens, outputTokens };
    return { text, toolCalls, stopReason: stopReasonOf(stopReason), usage };
  }

  private where(): string {
    return this.baseURL ?? 'Anthropic';
  }

  private idleTimeout(cause: unknown): ProviderError {
    return silentFor(this.name, this.where(), this.timeoutMs, cause, 'The service is slow or stuck; trying again usually works.');
  }

  /** Turns whatever the SDK threw into a ProviderError; the message is scrubbed of the key. */
  private wrap(error: unknown): Error {
    if (error instanceof HonuaError) return error;
    const scrub = (message: string) => redact(message, this.apiKey);
    if (error instanceof APIConnectionTimeoutError) {
      return new ProviderError(`timed out waiting for ${this.where()}`, { provider: this.name, transient: true, cause: error });
    }
    if (error instanceof APIConnectionError) {
      const reason = rootCause(error);
      return new ProviderError(`cannot reach ${this.where()}${reason ? `: ${scrub(reason)}` : ''}`, {
        provider: this.name,
        transient: true,
        cause: error,
        hint: this.baseURL ? `Is the server at ${this.baseURL} running?` : 'Check the network connection.',
      });
    }
    if (error instanceof APIUserAbortError) {
      // Aborted without our caller's signal: only the SDK itself does that, and only on the way out.
      return new ProviderError(`the request to ${this.where()} was cancelled`, { provider: this.name, transient: true, cause: error });
    }
    if (error instanceof APIError) {
      // A status-less APIError is an `event: error` inside the stream (overloaded_error, api_error): transient.
      const status = typeof error.status === 'number' ? error.status : undefined;
      const verb = status !== undefined && status < 500 ? 'refused the request' : 'failed';
      // The SDK's message is the raw JSON body; the parsed type and message read better.
      const detail = error.apiMessage ? `${status ?? ''} ${error.type ?? 'error'}: ${error.apiMessage}`.trim() : error.message;
      return new ProviderError(`${this.where()} ${verb}: ${scrub(detail)}`, {
        provider: this.name,
        status,
        transient: isTransientStatus(status),
        cause: error,
        hint: hintForStatus(status ?? (error.type === 'overloaded_error' ? 529 : undefined), this.model),
      });
    }
    if (error instanceof AnthropicError || error instanceof SyntaxError) {
      // The SDK's own complaints and malformed stream data: a second attempt gets the same answer.
      return new ProviderError(`bad response from ${this.where()}: ${scrub(error.message)}`, { provider: this.name, transient: false, cause: error });
    }
    // Anything else was thrown by the transport mid-stream (a reset socket): worth another try.
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError(`the connection to ${this.where()} failed: ${scrub(message)}`, {
      provider: this.name,
      transient: true,
      cause: error,
      hint: 'The connection dropped mid-answer; trying again usually works.',
    });
  }
}

/**
 * Our conversation in Messages API form. The API wants strictly alternating turns whose tool
 * results sit in the user turn right after the tool_use, so consecutive messages that land on the
 * same role (tool results, and a user message after them) are merged into one turn, tool results
 * first. An assistant message with neither text nor calls is dropped: the API refuses empty content.
 */
export function toAnthropicMessages(messages: Message[]): MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        push('user', message.content ? [{ type: 'text', text: message.content }] : []);
        break;
      case 'assistant':
        push('assistant', [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.arguments })),
        ]);
        break;
      case 'tool': {
        const result: ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
        if (message.isError) result.is_error = true;
        push('user', [result]);
        break;
      }
    }
  }
  // Tool results go before any text in a user turn.
  for (const turn of out) {
    if (turn.role === 'user') turn.content.sort((a, b) => Number(b.type === 'tool_result') - Number(a.type === 'tool_result'));
  }
  return out;
}

export function toAnthropicTool(spec: ToolSpec): Tool {
  return { name: spec.name, description: spec.description, input_schema: { type: 'object', ...spec.inputSchema } };
}

function inputFromStart(input: unknown): Pick<ToolCall, 'arguments' | 'argumentsError'> {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return { arguments: input as Record<string, unknown> };
  return { arguments: {} };
}

function stopReasonOf(reason: StopReason | null): GenerateResult['stopReason'] {
  switch (reason) {
    case 'tool_use':
      return 'tool-calls';
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'max_tokens':
      return 'max-tokens';
    default:
      // pause_turn, refusal, model_context_window_exceeded, or a message_stop without a reason.
      return 'other';
  }
}

function hintForStatus(status: number | undefined, model: string): string | undefined {
  if (status === 401) return 'Check ANTHROPIC_API_KEY (or the variable your AI config names in apiKeyEnv).';
  if (status === 403) return 'The key is not allowed to use this model.';
  if (status === 404) return `Check the model name (${model}).`;
  if (status === 429) return 'Rate limited; wait and try again.';
  if (status === 529) return 'Anthropic is overloaded; trying again shortly usually works.';
  if (status !== undefined && status >= 500) return 'The service failed; trying again later usually works.';
  return undefined;
}
