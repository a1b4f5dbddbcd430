import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, isObjectStoreUnavailable, isStorageFull } from '../db/unavailable.js';
import { AppError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { renderNeutralPage } from './html.js';

/**
 * One error handler for the whole app. Every error leaves as `{ error: { code, message,
 * requestId, details? } }` (or a neutral HTML page for browser navigations). Expected errors are
 * AppErrors; Fastify's own errors are mapped to our codes; anything else is a 500 whose cause is
 * logged and never sent.
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: readonly ErrorDetail[] };
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) {
    // A 503 of our own (readiness) tells the client when to come back, like a database outage does.
    if (error.code !== 'SERVICE_UNAVAILABLE' || error.headers['retry-after']) return error;
    return new AppError('SERVICE_UNAVAILABLE', error.message, { cause: error.cause, headers: databaseRetry() });
  }
  if (isStorageFull(error)) return new AppError('INSUFFICIENT_STORAGE', undefined, { cause: error });
  if (isDatabaseUnavailable(error) || isObjectStoreUnavailable(error)) {
    return new AppError('SERVICE_UNAVAILABLE', undefined, { cause: error, headers: databaseRetry() });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: [v.instancePath.replace(/^\//, '').replaceAll('/', '.')].filter(Boolean).join('.') || String(error.validationContext ?? ''),
      message: v.message ?? 'is not valid',
    }));
    return new AppError('VALIDATION_FAILED', undefined, { details, cause: error });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code && FASTIFY_CODES[fastifyError.code])
    return new AppError(FASTIFY_CODES[fastifyError.code] as ErrorCode, undefined, { cause: error });
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new AppError('INVALID_JSON', undefined, { cause: error });
  const status = fastifyError.statusCode ?? 500;
  if (status === 404) return new AppError('NOT_FOUND', undefined, { cause: error });
  if (status === 405) return new AppError('METHOD_NOT_ALLOWED', undefined, { cause: error });
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', undefined, { cause: error });
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', undefined, { cause: error });
  if (status === 429) return new AppError('RATE_LIMITED', undefined, { cause: error });
  if (status >= 400 && status < 500) return new AppError('VALIDATION_FAILED', undefined, { cause: error });
  return new AppError('INTERNAL_ERROR', undefined, { cause: error });
}

const databaseRetry = () => ({ 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });

/** Browser navigations get a page; everything under an `/api/` path, and programs, get JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (/(^|\/)api(\/|$)/.test(request.url.split('?')[0] ?? '')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const requestId = String(request.id);
  reply.header('cache-control', 'no-store');
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  if (wantsHtml(request)) {
    const title =
      error.status === 404 ? 'Page not found' : error.status >= 500 ? 'Something went wrong' : 'This request could not be completed';
    const html = renderNeutralPage({ title, message: error.message, requestId, styleNonce: reply.cspNonce?.style ?? '' });
    return reply.code(error.status).type('text/html; charset=utf-8').send(html);
  }
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  if (error.details && error.details.length > 0) body.error.details = error.details;
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((rawError: FastifyError, request, reply) => {
    const error = toAppError(rawError);
    if (error.status >= 500) {
      const serialization = isResponseSerializationError(rawError);
      request.log.error({ err: rawError, code: error.code, serialization }, 'request failed');
    } else if (error.code === 'CROSS_SITE_REQUEST') {
      request.log.warn({ code: error.code, origin: request.headers.origin }, 'cross-site request refused');
    }
    return sendError(request, reply, error);
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('NOT_FOUND')));
}
