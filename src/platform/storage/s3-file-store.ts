import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageConfig } from '../../config/config.js';
import { assertValidFileKey } from './file-key.js';
import { assertValidByteRange, type ByteRange, type FileStore, type StoredObject, unsatisfiableRangeError } from './file-store.js';

/** The bucket and credentials, as the configuration gives them (`STORAGE_*`). */
export type S3FileStoreOptions = Omit<Extract<StorageConfig, { kind: 's3' }>, 'kind'>;

/** Part size of multipart uploads: S3's minimum, so a streamed upload holds at most a few parts in memory. */
const PART_SIZE = 5 * 1024 * 1024;
/** Parts in flight at once; memory per streamed upload is about PART_SIZE × (QUEUE_SIZE + 1). */
const QUEUE_SIZE = 2;

/**
 * The scaled FileStore: objects in an S3-compatible bucket. S3 writes are atomic by nature — a
 * PutObject or a completed multipart upload makes the object appear whole, and readers see the
 * previous version until then — so there is no temp-object dance as on local disk. A failed
 * streamed upload is aborted, which discards its parts.
 */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string | null;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.client = new S3Client({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      forcePathStyle: options.forcePathStyle,
      // By default the SDK sends a CRC with every upload, as an aws-chunked trailer when the body
      // is a stream; S3-compatible servers that do not speak that encoding (s3rver among them)
      // store the framing as part of the object. Checksums only where the API demands them keep
      // every compatible server byte-exact.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer | Readable): Promise<{ size: number }> {
    const Key = this.objectKey(key);
    if (Buffer.isBuffer(body)) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentLength: body.length }));
      return { size: body.length };
    }
    return this.putStream(Key, body);
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    const Key = this.objectKey(key);
    if (range) assertValidByteRange(range);
    // S3 clamps an end beyond the object itself, and answers 416 for a start beyond it.
    const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range })).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      if (range && isUnsatisfiableRange(error)) throw unsatisfiableRangeError(key, range);
      throw error;
    });
    if (!response) return undefined;
    const body = response.Body;
    // In Node the SDK's body is an http.IncomingMessage, i.e. a Readable.
    if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for ${JSON.stringify(key)}`);
    if (!range) return { body, size: response.ContentLength ?? 0 };
    // The whole size is only in Content-Range (`bytes 0-9/1234`); Content-Length is the range's.
    const answered = parseContentRange(response.ContentRange);
    // A server that ignored the range (200, whole object) or answered another one would have us
    // send a client the wrong bytes under a 206: fail instead.
    if (!answered || answered.start !== range.start || answered.end !== Math.min(range.end, answered.size - 1)) {
      body.destroy();
      throw new Error(`S3 answered range ${String(response.ContentRange)} for bytes=${range.start}-${range.end} of ${JSON.stringify(key)}`);
    }
    return { body, size: answered.size };
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      // S3 answers 204 for a missing key; some compatible servers answer 404. Both are success:
      // deletes may be retried by the worker.
      if (!isMissing(error)) throw error;
    }
  }

  /** Closes the client's keep-alive connections (graceful shutdown, end of tests). */
  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  /**
   * Streams `source` as a multipart upload (a single PutObject when it ends within one part),
   * counting bytes as they pass. Never holds more than a few parts in memory.
   */
  private async putStream(Key: string, source: Readable): Promise<{ size: number }> {
    let size = 0;
    let sourceError: unknown;
    source.once('error', (error) => {
      sourceError = error;
    });
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    // The pipeline carries a source failure into `counter`, which fails the upload; lib-storage
    // then aborts the multipart upload, discarding its parts. Either way no object appears, as
    // only CompleteMultipartUpload creates one. (A bucket lifecycle rule that aborts incomplete
    // multipart uploads is the safety net for a process killed mid-upload.)
    const piping = pipeline(source, counter);
    // Handled below, after the upload settles; without this the source's failure would count as
    // an unhandled rejection while the upload is still winding down.
    piping.catch(() => undefined);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counter },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The upload may fail on its own (network, bucket): stop reading the source too.
      counter.destroy();
      await piping.catch(() => undefined);
      // Report why the bytes stopped (e.g. the client went away), not the stream plumbing's echo.
      throw sourceError ?? error;
    }
    await piping;
    return { size };
  }

  /**
   * The bucket key for a store key. Keys are checked exactly as on local disk, so a key valid for
   * one adapter is valid for the other.
   */
  private objectKey(key: string): string {
    assertValidFileKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }
}

function isMissing(error: unknown): boolean {
  // A missing bucket is a configuration error, not a missing object.
  if (!(error instanceof S3ServiceException) || error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404;
}

function isUnsatisfiableRange(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'InvalidRange' || error.$metadata.httpStatusCode === 416);
}

/** `bytes 0-9/1234` → { start: 0, end: 9, size: 1234 }; undefined when absent or of another form. */
function parseContentRange(header: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}
