import type { FastifyRequest } from 'fastify';

/**
 * The public base of the OGC API: `--base-url` (the server's public root, what clients reach
 * behind a proxy) plus the base path, else the scheme and host the request came to. Links and the
 * OpenAPI document's `servers` use it.
 */
export function baseUrl(request: FastifyRequest, configured: string | undefined, basePath: string): string {
  if (configured) return `${configured.replace(/\/$/, '')}${basePath}`;
  const host = request.headers.host ?? `${request.hostname}`;
  return `${request.protocol}://${host}${basePath}`;
}

export const encodeId = (id: string): string => encodeURIComponent(id).replace(/%3A/gi, ':');
