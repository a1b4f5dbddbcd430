import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Text no person types never reaches a service: a NUL character in a path, a query string or a
 * JSON body (PostgreSQL cannot store it in text, SQLite would keep it silently), and a JSON body
 * that is not valid UTF-8 (decoding would store replacement characters in its place). Both are
 * refused with 400 before anything runs — paths and queries before the surfaces look a tenant up.
 */
export function registerInputGuard(app: FastifyInstance): void {
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch (cause) {
      done(new AppError('INVALID_JSON', 'The request body is not valid UTF-8 text.', { cause }), undefined);
      return;
    }
    void defaultJson(request, text, done);
  });
  app.addHook('onRequest', async (request) => {
    refuseNul(request.params, 'path');
    refuseNul(request.query, 'query');
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    refuseNul(request.body, 'body');
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** @throws VALIDATION_FAILED naming every field (dotted path) whose text holds a NUL */
function refuseNul(value: unknown, where: 'path' | 'query' | 'body'): void {
  const paths: string[] = [];
  collectNul(value, '', paths, 0);
  if (paths.length === 0) return;
  throw new AppError('VALIDATION_FAILED', 'The request contains a NUL character, which is not allowed in text.', {
    details: paths.slice(0, 20).map((path) => ({ path: path || where, message: 'must not contain a NUL character' })),
  });
}

function collectNul(value: unknown, path: string, found: string[], depth: number): void {
  if (depth > 32 || found.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectNul(item, path ? `${path}.${index}` : String(index), found, depth + 1));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push(path ? `${path}.${key}` : key);
      collectNul(item, path ? `${path}.${key}` : key, found, depth + 1);
    }
  }
}
