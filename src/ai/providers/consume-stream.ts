import type { StreamEvent } from './provider.js';
import { throwAbortReason } from './wire.js';

/**
 * Reads a model's streamed answer the same way for every provider. The SDK's timeout (with its
 * retries) covers the wait for the response headers and ends there; this bounds each silence
 * inside the stream that follows (`idleTimeoutMs`). The caller's abort signal wins over
 * everything and rejects with its reason; an exception thrown by the caller's `onEvent` is the
 * caller's and is rethrown untouched; anything else goes through `wrap`.
 */
export interface StreamOptions<T> {
  signal: AbortSignal | undefined;
  idleTimeoutMs: number;
  onEvent: ((event: StreamEvent) => void) | undefined;
  /** Opens the stream with the combined (caller + idle) signal. */
  open(signal: AbortSignal): Promise<AsyncIterable<T>>;
  /** Handles one item; `emit` passes events on to the caller. */
  each(item: T, emit: (event: StreamEvent) => void): void;
  /** The error for a silence longer than the idle timeout. */
  idleTimeout(cause: unknown): Error;
  /** Turns whatever the SDK threw into the provider's error. */
  wrap(error: unknown): Error;
}

export async function consumeStream<T>(options: StreamOptions<T>): Promise<void> {
  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
  };
  let callbackFailure: { error: unknown } | undefined;
  const emit = (event: StreamEvent): void => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      callbackFailure = { error };
      throw error;
    }
  };
  try {
    const stream = await options.open(signal);
    arm();
    for await (const item of stream) {
      arm();
      options.each(item, emit);
    }
  } catch (error) {
    if (callbackFailure) throw callbackFailure.error;
    throwAbortReason(options.signal);
    if (idle.signal.aborted) throw options.idleTimeout(error);
    throw options.wrap(error);
  } finally {
    clearTimeout(timer);
  }
  // The SDKs end the iteration quietly when their request is aborted, so an abort can land here.
  throwAbortReason(options.signal);
  if (idle.signal.aborted) throw options.idleTimeout(undefined);
}
