import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { ByteRange, FileStore } from '../storage/file-store.js';

export interface ObjectToSend {
  readonly key: string;
  /** The whole object's size, as recorded when it was stored. */
  readonly size: number;
  /** A strong validator; the object under a key never changes, so an id of the key's contents will do. */
  readonly etag: string;
  readonly type: string;
  /** A complete `Content-Disposition` value (see contentDisposition in the attachments feature). */
  readonly disposition: string;
}

/**
 * Parses a `Range` header for one byte range (RFC 9110 §14.1.2). Several ranges are legal but
 * answered with the whole object (as the RFC allows); a range we cannot satisfy is `'unsatisfiable'`.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined | 'unsatisfiable' {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return { start, end };
}

/**
 * Streams a stored object as a download (SECURITY.md §5.4): `no-store` like every authenticated
 * response (a signed-in person's files never stay in a shared or private cache), never sniffed, sandboxed if a browser
 * opens it, with `ETag`/`If-None-Match` and single `Range` requests (`If-Range` honoured).
 */
export async function sendStoredObject(
  request: FastifyRequest,
  reply: FastifyReply,
  store: FileStore,
  object: ObjectToSend,
): Promise<FastifyReply> {
  reply
    .header('etag', object.etag)
    .header('cache-control', 'no-store')
    .header('accept-ranges', 'bytes')
    .header('content-disposition', object.disposition)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
    .header('cross-origin-resource-policy', 'same-origin');

  if (matchesEtag(request.headers['if-none-match'], object.etag)) return reply.code(304).send();

  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === object.etag ? parseRange(request.headers.range, object.size) : undefined;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${object.size}`);
    throw new AppError('RANGE_NOT_SATISFIABLE');
  }
  const stored = await store.get(object.key, range);
  if (!stored) throw new AppError('FILE_NOT_FOUND');
  reply.type(object.type);
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${object.size}`)
      .header('content-length', range.end - range.start + 1);
  } else {
    reply.header('content-length', stored.size);
  }
  if (request.method === 'HEAD') {
    stored.body.destroy();
    return reply.send();
  }
  return reply.send(stored.body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
