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
export function exceptionOf(error: unknown): { status: number; body: { code: string; description: string } } {
  if (error instanceof OgcRequestError) return { status: error.status, body: { code: error.code, description: error.message } };
  if (error instanceof HonuaError && error.fault !== 'system') return { status: error.httpStatus, body: { code: error.code, description: error.message } };
  const status = error instanceof HonuaError ? error.httpStatus : 500;
  return {
    status,
    body: { code: status === 503 ? 'ServiceUnavailable' : 'InternalError', description: status === 503 ? 'a datasource is not reachable' : 'internal error' },
  };
}
