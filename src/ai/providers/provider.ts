import { type ErrorCode, ProviderError } from '../../errors/index.js';

/**
 * The one narrow interface between the agent loop and a language model: generate the next
 * assistant turn from a conversation and the tools it may call, streaming text as it arrives.
 * OpenAI (and OpenAI-compatible servers), Anthropic and the offline planner implement it; the
 * loop never sees a vendor's wire format.
 */

/** A tool as the model sees it: a name, a description, and a JSON Schema (type: object) for its input. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** A call the model asked for. `arguments` is the parsed JSON object; `argumentsError` says why it could not be parsed. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  argumentsError?: string;
}

export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | {
      role: 'tool';
      toolCallId: string;
      name: string;
      /** What a model reads: trusted framing around the data wrapped as untrusted. */
      content: string;
      isError?: boolean;
      /** The tool's structured output, for the offline planner (model providers send `content` only). */
      structured?: Record<string, unknown>;
      /** Error code when the call failed or was refused. */
      errorCode?: ErrorCode;
      /** The error as a person reads it (message and hint, redacted), for the offline planner. */
      error?: { code: string; message: string; hint?: string };
    };

export interface GenerateRequest {
  system: string;
  messages: Message[];
  tools: ToolSpec[];
  /** Upper bound on the tokens of this one response. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export type StreamEvent = { type: 'text'; text: string } | { type: 'tool-call'; call: ToolCall };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * How a turn ended for the person: it did what was asked or answered (`done`), the request
 * failed (`failed`), or it stopped for the person — a question only they can answer, a
 * confirmation nobody could give (`needs-input`). `honua-ai ask` exits 0, 1 or 3 on it.
 */
export type TurnOutcome = 'done' | 'failed' | 'needs-input';

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  stopReason: 'end' | 'tool-calls' | 'max-tokens' | 'other';
  usage: Usage;
  /** Set by a provider that knows how its final answer ends the turn (the offline planner); models are judged by turnOutcome. */
  outcome?: TurnOutcome;
}

export interface Provider {
  /** openai | anthropic | offline | scripted ... */
  readonly name: string;
  readonly model: string;
  generate(request: GenerateRequest, onEvent?: (event: StreamEvent) => void): Promise<GenerateResult>;
}

export { ProviderError };

/** Status codes a provider returns for conditions that pass: timeouts, conflicts, rate limits, overload, server errors. */
export const isTransientStatus = (status: number | undefined): boolean =>
  status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
