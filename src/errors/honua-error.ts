import { type ErrorCode, errorInfo } from './catalogue.js';
import type { Fault } from './fault.js';

/**
 * Every error Honua raises on purpose is a HonuaError: a stable `code` from the catalogue
 * (catalogue.ts), a `hint` a person can act on, structured `data`, the underlying `cause`, and
 * whose fault it was (the catalogue's default unless the thrower knows better). The CLI prints
 * these without a stack trace and exits with the catalogue's code; anything that is not a
 * HonuaError is a bug and is printed with one.
 */
export type { Fault };

export interface HonuaErrorOptions {
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
  fault?: Fault;
}

export class HonuaError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown>;
  readonly fault: Fault;

  constructor(code: ErrorCode, message: string, options: HonuaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
    this.fault = options.fault ?? errorInfo(code).fault;
  }

  /** The exit code a command ends with for this error (catalogue.ts). */
  get exitCode(): 1 | 2 | 3 {
    return errorInfo(this.code).exit;
  }

  /** The HTTP status the admin API answers with for this error. */
  get httpStatus(): number {
    return errorInfo(this.code).http;
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

/** The command line was used wrongly (unknown environment, missing flag, bad value): the person's fault. */
export class UsageError extends HonuaError {
  constructor(code: ErrorCode, message: string, options: Omit<HonuaErrorOptions, 'fault'> = {}) {
    super(code, message, { ...options, fault: 'user' });
  }
}

export const isHonuaError = (error: unknown): error is HonuaError => error instanceof HonuaError;

/** Whether `error` is a HonuaError with this code (a checked constant). */
export const hasCode = (error: unknown, code: ErrorCode): error is HonuaError => error instanceof HonuaError && error.code === code;
