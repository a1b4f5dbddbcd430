import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../platform/request-meta.js';

/** The address (after the trusted proxies) and the user agent of a request, for audit and sessions. */
export function requestMetaOf(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
}
