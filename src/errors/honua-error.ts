/**
 * Every error Honua raises on purpose is a HonuaError: a stable `code`, a `hint` a person can act
 * on, structured `data`, the underlying `cause`, and whose fault it was. The CLI prints these
 * without a stack trace; anything that is not a HonuaError is a bug and is printed with one.
 */
export type Fault = 'user' | 'system' | 'model';

export interface HonuaErrorOptions {
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
  fault?: Fault;
}

export class HonuaError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown>;
  readonly fault: Fault;

  constructor(code: string, message: string, options: HonuaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
    this.fault = options.fault ?? 'user';
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      fault: this.fault,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.data).length > 0 ? { data: this.data } : {}),
    };
  }
}

/** The command line was used wrongly (unknown environment, missing flag, bad value): exit code 2. */
export class UsageError extends HonuaError {
  constructor(code: string, message: string, options: Omit<HonuaErrorOptions, 'fault'> = {}) {
    super(code, message, { ...options, fault: 'user' });
  }
}

export const isHonuaError = (error: unknown): error is HonuaError => error instanceof HonuaError;
