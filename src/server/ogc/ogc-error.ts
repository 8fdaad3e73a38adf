import { HonuaError } from '../../errors/index.js';

/**
 * A request the OGC API answers with an exception document (OGC API - Common, exceptions:
 * `{code, description}`): unknown or invalid parameters are 400, not silently ignored
 * (/req/core/query-param-unknown, /req/core/query-param-invalid), an unknown collection or
 * feature 404.
 */
export class OgcRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 406,
    readonly code: 'InvalidParameterValue' | 'NotFound' | 'NotAcceptable',
    message: string,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string): OgcRequestError => new OgcRequestError(400, 'InvalidParameterValue', message);
export const notFound = (message: string): OgcRequestError => new OgcRequestError(404, 'NotFound', message);

/** The status and body of an exception; a fault of Honua's own says no more than "internal error". */
/** PostgreSQL's data exceptions (SQLSTATE class 22: out of range, invalid text for a type): the request's values did not fit. */
export const isDataException = (error: unknown): boolean => /^22/.test(String((error as { code?: unknown })?.code ?? ''));

export function exceptionOf(error: unknown): { status: number; body: { code: string; description: string } } {
  if (error instanceof OgcRequestError) return { status: error.status, body: { code: error.code, description: error.message } };
  if (isDataException(error))
    return { status: 400, body: { code: 'InvalidParameterValue', description: 'a parameter value does not fit the data (out of range, or not of its type)' } };
  if (error instanceof HonuaError && error.fault !== 'system') return { status: error.httpStatus, body: { code: error.code, description: error.message } };
  const status = error instanceof HonuaError ? error.httpStatus : 500;
  return {
    status,
    body: { code: status === 503 ? 'ServiceUnavailable' : 'InternalError', description: status === 503 ? 'a datasource is not reachable' : 'internal error' },
  };
}
