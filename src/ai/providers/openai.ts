import { randomUUID } from 'node:crypto';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
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
 * The Provider for OpenAI and every server that speaks its Chat Completions API (Ollama, vLLM,
 * llama.cpp, LM Studio): one streamed `chat.completions.create` per turn through the official SDK.
 *
 * Contracts:
 * - Configuration comes only from the options; the adapter reads no environment variable (the SDK's
 *   own OPENAI_API_KEY / OPENAI_BASE_URL fallbacks are switched off), so settings.ts is the one
 *   place that decides which key and server are used.
 * - Transport retries are the SDK's (`maxRetries`, default 2, honouring retry-after). What still
 *   fails becomes a ProviderError whose `transient` says whether another attempt may succeed.
 * - When `request.signal` aborts, `generate` rejects with the signal's reason, as fetch does (a
 *   DOMException named AbortError unless the caller gave another reason), never with a ProviderError.
 * - The key never appears in an error message.
 */

export interface OpenAiProviderOptions {
  /** Required for api.openai.com; a local server (a baseURL) gets a placeholder when none is given. */
  apiKey?: string;
  /** An OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama. Default: api.openai.com. */
  baseURL?: string;
  model: string;
  /** SDK retries on connection errors, 408/409/429/5xx. Default 2. */
  maxRetries?: number;
  /** Time allowed to receive the response headers, and then the longest silence inside the stream. Default 10 minutes. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Sent as the key to servers that want none: the SDK refuses to run without one. */

export class OpenAiProvider implements Provider {
  readonly name = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly baseURL: string | undefined;
  private readonly timeoutMs: number;
  /** api.openai.com takes max_completion_tokens (max_tokens is refused by reasoning models); compatible servers know max_tokens. */
  private readonly official: boolean;

  constructor(options: OpenAiProviderOptions) {
    if (!options.apiKey && !options.baseURL) {
      throw new HonuaError('provider-not-configured', 'the OpenAI provider needs an API key or a base URL', {
        hint: 'Set OPENAI_API_KEY, or pass --base-url for a local OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio).',
      });
    }
    this.model = options.model;
    this.apiKey = options.apiKey || PLACEHOLDER_API_KEY;
    this.baseURL = options.baseURL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.official = isOfficialEndpoint(options.baseURL);
    this.client = new OpenAI({
      apiKey: this.apiKey,
      // null, not undefined: undefined would make the SDK read OPENAI_BASE_URL.
      baseURL: options.baseURL ?? null,
      maxRetries: options.maxRetries ?? 2,
      timeout: this.timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async generate(request: GenerateRequest, onEvent?: (event: StreamEvent) => void): Promise<GenerateResult> {
    const params: ChatCompletionCreateParamsStreaming = {
      model: this.model,
      messages: toOpenAiMessages(request.system, request.messages),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.tools.length > 0 ? { tools: request.tools.map(toOpenAiTool) } : {}),
      ...(request.maxTokens === undefined ? {} : this.official ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
    };

    const assembly = new ToolCallAssembly();
    let text = '';
    let finishReason: string | null = null;
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    await consumeStream<ChatCompletionChunk>({
      signal: request.signal,
      idleTimeoutMs: this.timeoutMs,
      onEvent,
      open: (signal) => this.client.chat.completions.create(params, { signal }),
      each: (chunk, emit) => {
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        // n is 1: the one choice, when the chunk carries any (the usage chunk carries none).
        const choice = chunk.choices?.[0];
        if (!choice) return;
        const content = choice.delta?.content;
        if (content) {
          text += content;
          emit({ type: 'text', text: content });
        }
        for (const delta of choice.delta?.tool_calls ?? []) assembly.add(delta);
        if (choice.finish_reason) finishReason = choice.finish_reason;
      },
      idleTimeout: (cause) => this.idleTimeout(cause),
      wrap: (error) => this.wrap(error),
    });
    if (finishReason === null) {
      throw endedEarly(this.name, this.where());
    }

    const toolCalls = assembly.finish();
    for (const call of toolCalls) onEvent?.({ type: 'tool-call', call });
    return { text, toolCalls, stopReason: stopReasonOf(finishReason, toolCalls.length > 0), usage };
  }

  private where(): string {
    return this.baseURL ?? 'OpenAI';
  }

  private idleTimeout(cause: unknown): ProviderError {
    return silentFor(this.name, this.where(), this.timeoutMs, cause, 'The server is slow or stuck; a larger timeout may help with large local models.');
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
      const status = typeof error.status === 'number' ? error.status : undefined;
      const verb = status !== undefined && status < 500 ? 'refused the request' : 'failed';
      return new ProviderError(`${this.where()} ${verb}: ${scrub(error.message)}`, {
        provider: this.name,
        status,
        transient: isTransientStatus(status),
        cause: error,
        hint: hintForStatus(status, this.model, this.baseURL),
      });
    }
    if (error instanceof OpenAIError || error instanceof SyntaxError) {
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

/** Our conversation in Chat Completions form: the system prompt first, then one wire message per message. */
export function toOpenAiMessages(system: string, messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        if (calls.length === 0) {
          out.push({ role: 'assistant', content: message.content });
          break;
        }
        out.push({
          role: 'assistant',
          // null rather than '' beside tool calls: what the API itself returns, and what strict servers expect.
          content: message.content || null,
          tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } })),
        });
        break;
      }
      case 'tool':
        // The wire has no error flag for a tool result; the prefix is how the model learns the call failed.
        out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.isError ? `Error: ${message.content}` : message.content });
        break;
    }
  }
  return out;
}

export function toOpenAiTool(spec: ToolSpec): ChatCompletionTool {
  return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } };
}

type ToolCallDelta = ChatCompletionChunk.Choice.Delta.ToolCall;

/**
 * Tool calls arrive in pieces keyed by `index`: the id and name first, argument fragments after.
 * Compatible servers differ at the edges, so: a missing index continues the last call (or starts one
 * when the piece has a new id); a new id at a used index starts a new call; a missing id is made up.
 */
class ToolCallAssembly {
  private readonly calls: { id: string; name: string; args: string }[] = [];
  private readonly byIndex = new Map<number, number>();
  private last: number | undefined;

  add(delta: ToolCallDelta): void {
    const index = typeof delta.index === 'number' ? delta.index : undefined;
    let slot = index === undefined ? this.last : this.byIndex.get(index);
    let call = slot === undefined ? undefined : this.calls[slot];
    if (slot === undefined || call === undefined || (delta.id && call.id && delta.id !== call.id)) {
      call = { id: '', name: '', args: '' };
      slot = this.calls.push(call) - 1;
      this.byIndex.set(index ?? slot, slot);
    }
    this.last = slot;
    if (delta.id) call.id = delta.id;
    const name = delta.function?.name;
    // Names come whole in practice; a server that repeats the name in every piece must not double it.
    if (name && call.name !== name) call.name += name;
    if (delta.function?.arguments) call.args += delta.function.arguments;
  }

  finish(): ToolCall[] {
    return this.calls
      .filter((call) => call.name)
      .map((call) => ({ id: call.id || `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`, name: call.name, ...parseArguments(call.args) }));
  }
}

/** Compatible servers are not all exact about finish_reason: tool calls with 'stop' are still tool calls. */
function stopReasonOf(finishReason: string, hasToolCalls: boolean): GenerateResult['stopReason'] {
  if (finishReason === 'length') return 'max-tokens';
  if (hasToolCalls || finishReason === 'tool_calls' || finishReason === 'function_call') return 'tool-calls';
  if (finishReason === 'stop') return 'end';
  return 'other';
}

function hintForStatus(status: number | undefined, model: string, baseURL: string | undefined): string | undefined {
  if (status === 401) return baseURL ? 'The server refused the API key.' : 'Check OPENAI_API_KEY (or the variable your AI config names in apiKeyEnv).';
  if (status === 403) return 'The key is not allowed to use this model or endpoint.';
  if (status === 404) return `Check the model name (${model})${baseURL ? ` and that ${baseURL} is the server's /v1 URL` : ''}.`;
  if (status === 429) return 'Rate limited or out of quota; wait and try again.';
  if (status !== undefined && status >= 500) return 'The server failed; trying again later usually works.';
  return undefined;
}

function isOfficialEndpoint(baseURL: string | undefined): boolean {
  if (!baseURL) return true;
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
