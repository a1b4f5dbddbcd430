import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';

/**
 * Multipart uploads, streamed: parts are handed over one at a time as they arrive and are never
 * buffered whole. The feature enforces the product's limits itself (so its errors can name the
 * file); busboy's limits here are a backstop against bodies built to exhaust the parser.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fieldNameSize: 100, fieldSize: 64 * 1024, headerPairs: 50 },
  });
}

export interface MultipartLimits {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
}

/** One part as the services see it: a file part carries its name and byte stream. */
export interface MultipartPart {
  readonly fieldName: string;
  readonly file?: { readonly fileName: string; readonly stream: Readable };
}

/** Room for each part's headers and boundaries on top of the files themselves. */
const OVERHEAD_PER_PART = 16 * 1024;

/**
 * Refuses an upload before reading it when it does not say how long it is (411) or says it is
 * longer than the limits allow (413). Either way the connection is closed after the answer, so
 * the server never reads a body it has already refused.
 */
export function requireUploadLength(request: FastifyRequest, reply: FastifyReply, limits: MultipartLimits): void {
  const header = request.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) {
    reply.header('connection', 'close');
    throw new AppError(
      'LENGTH_REQUIRED',
      'Uploads must state their length (Content-Length); streamed bodies of unknown length are not accepted.',
    );
  }
  const max = limits.maxFiles * (limits.maxFileBytes + OVERHEAD_PER_PART) + OVERHEAD_PER_PART;
  if (Number(header) > max) {
    reply.header('connection', 'close');
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `This upload is larger than ${limits.maxFiles} files of ${Math.round(limits.maxFileBytes / (1024 * 1024))} MB each can be.`,
    );
  }
}

/**
 * The parts of a multipart body. Parser failures (a malformed body, a request cut off) become
 * UPLOAD_INVALID; the caller reads each file's stream to its end before asking for the next part.
 */
export async function* multipartParts(request: FastifyRequest, limits: MultipartLimits): AsyncGenerator<MultipartPart> {
  if (!request.isMultipart()) {
    throw new AppError('UPLOAD_INVALID', 'Uploads must be sent as multipart/form-data.');
  }
  const parts = request.parts({
    limits: {
      // One more file than allowed reaches the feature, so its error can name that file.
      files: limits.maxFiles + 1,
      fileSize: limits.maxFileBytes * 2,
      fields: 5,
      parts: limits.maxFiles + 10,
    },
  });
  try {
    for await (const part of parts) {
      if (part.type === 'file') yield { fieldName: part.fieldname, file: { fileName: part.filename, stream: part.file } };
      else yield { fieldName: part.fieldname };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('UPLOAD_INVALID', 'This upload was cut off or is not a valid multipart body.', { cause: error });
  }
}

/**
 * After a refused upload: stop parsing and let the rest of the body drain (bounded by
 * `requireUploadLength`), so the client reads our error instead of a reset connection.
 */
export function discardRequestBody(request: FastifyRequest): void {
  request.raw.unpipe();
  request.raw.resume();
}
