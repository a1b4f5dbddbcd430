import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

/** One part of a hand-built multipart body: a file (with `filename`) or a plain field. */
export interface PartSpec {
  readonly field: string;
  readonly filename?: string;
  /** The bytes, or a generator of `size` bytes for bodies too big to hold in memory twice. */
  readonly content: Buffer | { readonly size: number; readonly fill: string };
  /** What a client claims; the server ignores it. */
  readonly contentType?: string;
}

const CRLF = '\r\n';

function headerOf(boundary: string, part: PartSpec): Buffer {
  const disposition =
    part.filename === undefined
      ? `form-data; name="${part.field}"`
      : `form-data; name="${part.field}"; filename="${part.filename.replace(/"/g, '%22')}"`;
  const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
  if (part.filename !== undefined) lines.push(`Content-Type: ${part.contentType ?? 'application/octet-stream'}`);
  return Buffer.from(lines.join(CRLF) + CRLF + CRLF, 'utf8');
}

function sizeOf(part: PartSpec): number {
  return Buffer.isBuffer(part.content) ? part.content.length : part.content.size;
}

/** `size` bytes of a repeating text, in 64 KB chunks (valid text: a CSV or .txt of any size). */
function* generated(size: number, fill: string): Generator<Buffer> {
  const unit = Buffer.from(fill.repeat(Math.ceil(65_536 / fill.length)).slice(0, 65_536));
  for (let left = size; left > 0; left -= unit.length) yield left >= unit.length ? unit : unit.subarray(0, left);
}

/** A multipart/form-data body built by hand (so tests control every byte), with its exact length. */
export function multipartBody(parts: readonly PartSpec[]): { contentType: string; length: number; stream: () => Readable } {
  const boundary = `----servelo-test-${Math.random().toString(36).slice(2)}`;
  const closing = Buffer.from(`--${boundary}--${CRLF}`);
  const headers = parts.map((p) => headerOf(boundary, p));
  const length = parts.reduce((sum, p, i) => sum + headers[i]!.length + sizeOf(p) + CRLF.length, 0) + closing.length;
  function* chunks(): Generator<Buffer> {
    for (const [i, part] of parts.entries()) {
      yield headers[i]!;
      if (Buffer.isBuffer(part.content)) yield part.content;
      else yield* generated(part.content.size, part.content.fill);
      yield Buffer.from(CRLF);
    }
    yield closing;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, stream: () => Readable.from(chunks(), { objectMode: false }) };
}

export interface UploadResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: {
    error?: { code: string; message: string };
    files?: { id: string; name: string; size: number; status: string; type: string }[];
  } & Record<string, unknown>;
}

export interface UploadOptions {
  readonly method?: 'POST' | 'PUT';
  readonly cookie?: string;
  /** Send with `Transfer-Encoding: chunked` instead of a Content-Length. */
  readonly chunked?: boolean;
  /** Send only this many bytes, then cut the connection (a crash or a lost network mid-upload). */
  readonly abortAfterBytes?: number;
}

/**
 * Sends a multipart body over a real socket (the app must be listening), as a same-origin browser
 * would. Resolves with the answer, or with status 0 when the upload was cut off on purpose.
 */
export function sendMultipart(url: string, parts: readonly PartSpec[], options: UploadOptions = {}): Promise<UploadResult> {
  const body = multipartBody(parts);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: options.method ?? 'POST',
      headers: {
        // What a browser sends from the portal's own page (the app's origin is PUBLIC_URL, not this socket).
        'sec-fetch-site': 'same-origin',
        'content-type': body.contentType,
        ...(options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }),
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: UploadResult['json'] = {};
        try {
          json = text ? (JSON.parse(text) as UploadResult['json']) : {};
        } catch {
          json = { raw: text };
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', (error) => {
      if (options.abortAfterBytes !== undefined) resolve({ status: 0, headers: {}, json: {} });
      else reject(error);
    });
    const source = body.stream();
    if (options.abortAfterBytes === undefined) {
      source.pipe(req);
      return;
    }
    let sent = 0;
    const limit = options.abortAfterBytes;
    source.on('data', (chunk: Buffer) => {
      const room = limit - sent;
      if (room <= 0) return;
      req.write(chunk.subarray(0, room));
      sent += Math.min(room, chunk.length);
      if (sent >= limit) {
        source.destroy();
        // Give the server the bytes, then drop the connection without finishing the body.
        setTimeout(() => {
          req.destroy();
          resolve({ status: 0, headers: {}, json: {} });
        }, 50);
      }
    });
  });
}

/**
 * The same body through `app.inject` (whole, with its Content-Length, as a same-origin browser
 * sends it): for small uploads where a listening socket is not the point.
 */
export async function injectMultipart(
  app: { inject: (options: InjectOptions) => Promise<LightMyRequestResponse> },
  url: string,
  parts: readonly PartSpec[],
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const body = multipartBody(parts);
  const chunks: Buffer[] = [];
  for await (const chunk of body.stream()) chunks.push(chunk as Buffer);
  return app.inject({
    method: 'POST',
    url,
    headers: { 'sec-fetch-site': 'same-origin', 'content-type': body.contentType, 'content-length': String(body.length), ...headers },
    payload: Buffer.concat(chunks),
  });
}
