import { HonuaError } from './honua-error.js';

/**
 * A model provider failed. `transient` errors (connection reset, 408/409/429/5xx, overloaded) are
 * worth retrying with backoff; the others (bad key, bad request) are not.
 */
export class ProviderError extends HonuaError {
  readonly transient: boolean;
  readonly status: number | undefined;
  constructor(message: string, options: { transient: boolean; status?: number; hint?: string; cause?: unknown; provider: string }) {
    super('provider-error', message, {
      hint: options.hint,
      cause: options.cause,
      fault: 'system',
      data: { provider: options.provider, status: options.status, transient: options.transient },
    });
    this.transient = options.transient;
    this.status = options.status;
  }
}
