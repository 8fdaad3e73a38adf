import { ProviderError, type ToolCall } from './provider.js';

/**
 * What the OpenAI and Anthropic adapters share about talking to a model over HTTP: tool-call
 * arguments parsed from streamed JSON, cancellation, error text scrubbed of the key.
 */

/** The key sent to servers that need none (local OpenAI-compatible servers): the SDKs insist on one. */
export const PLACEHOLDER_API_KEY = 'not-needed';
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** Streamed argument JSON → an object, or an error the model is shown (an empty string is no arguments). */
export function parseArguments(json: string): Pick<ToolCall, 'arguments' | 'argumentsError'> {
  if (json.trim() === '') return { arguments: {} };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { arguments: {}, argumentsError: `the arguments are not valid JSON (${(error as Error).message}): ${truncate(json, 200)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { arguments: {}, argumentsError: `the arguments must be a JSON object, not ${truncate(json, 200)}` };
  }
  return { arguments: value as Record<string, unknown> };
}

/** Rejects with the caller's abort reason, as fetch does. */
export function throwAbortReason(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Removes the key, and anything shaped like one, from text bound for an error message. */
export function redact(text: string, apiKey: string): string {
  let out = text;
  if (apiKey && apiKey !== PLACEHOLDER_API_KEY) out = out.split(apiKey).join('[redacted]');
  return out.replace(/\bsk-[A-Za-z0-9_*-]{8,}/g, 'sk-[redacted]');
}

/** The innermost cause says what happened (connect ECONNREFUSED ...); the outer ones say "fetch failed". */
export function rootCause(error: Error): string {
  let current: unknown = error.cause;
  let message = '';
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The stream ended without the model saying it had finished: the connection dropped. */
export function endedEarly(provider: string, where: string): ProviderError {
  return new ProviderError(`the response from ${where} ended before the model finished`, {
    provider,
    transient: true,
    hint: 'The connection dropped mid-answer; trying again usually works.',
  });
}

/** The stream went silent for longer than the timeout. */
export function silentFor(provider: string, where: string, timeoutMs: number, cause: unknown, hint: string): ProviderError {
  return new ProviderError(`no response from ${where} for ${seconds(timeoutMs)}`, { provider, transient: true, cause, hint });
}
