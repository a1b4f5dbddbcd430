import { request } from 'node:http';
import { Readable } from 'node:stream';

export interface PostResult {
  readonly status: number;
  readonly body: string;
  /** From the first byte written to the whole answer read, in milliseconds (process.hrtime). */
  readonly ms: number;
}

/** POSTs a streamed body with an exact Content-Length over a fresh connection and times it. */
export function post(
  url: string,
  body: { readonly length: number; stream(): Readable },
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(body.length) },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms });
      });
    });
    const source = body.stream();
    source.once('error', (error) => req.destroy(error));
    source.pipe(req);
  });
}

/** A body of no bytes, for the control routes. */
export const EMPTY_BODY = { length: 0, stream: (): Readable => Readable.from([]) } as const;
