import { Readable } from 'node:stream';

/** One file part of a generated multipart body: `size` bytes of `fill` repeated (valid CSV or text). */
export interface GeneratedFile {
  readonly field: string;
  readonly filename: string;
  readonly size: number;
  readonly fill: string;
}

export interface MultipartBody {
  readonly contentType: string;
  /** The exact byte length, for Content-Length. */
  readonly length: number;
  /** A fresh stream of the body's bytes; the same 64 KiB buffer is yielded again and again, so the client stays cheap. */
  stream(): Readable;
}

const CRLF = '\r\n';
const UNIT_BYTES = 64 * 1024;

/**
 * A multipart/form-data body built by hand, as test/helpers/multipart-upload.ts does: every byte
 * is known in advance, so the length is exact and nothing is held in memory but one 64 KiB unit.
 */
export function multipartBody(files: readonly GeneratedFile[]): MultipartBody {
  const boundary = `----servelo-bench-${Math.random().toString(36).slice(2)}`;
  const headers = files.map((file) =>
    Buffer.from(
      [`--${boundary}`, `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"`, 'Content-Type: text/csv'].join(
        CRLF,
      ) +
        CRLF +
        CRLF,
    ),
  );
  const crlf = Buffer.from(CRLF);
  const closing = Buffer.from(`--${boundary}--${CRLF}`);
  const units = new Map(
    files.map((file) => [file.fill, Buffer.from(file.fill.repeat(Math.ceil(UNIT_BYTES / file.fill.length)).slice(0, UNIT_BYTES))]),
  );
  const length = files.reduce((sum, file, i) => sum + headers[i]!.length + file.size + crlf.length, 0) + closing.length;

  function* chunks(): Generator<Buffer> {
    for (const [i, file] of files.entries()) {
      yield headers[i]!;
      const unit = units.get(file.fill)!;
      for (let left = file.size; left > 0; left -= unit.length) yield left >= unit.length ? unit : unit.subarray(0, left);
      yield crlf;
    }
    yield closing;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, stream: () => Readable.from(chunks(), { objectMode: false }) };
}
