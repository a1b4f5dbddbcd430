import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../platform/errors.js';
import { looksLikeMarkup, matchType, type AllowedType } from './file-policy.js';

/** Bytes held back until the type is known: enough for every signature we accept (OOXML needs the first zip entries). */
const SNIFF_BYTES = 64 * 1024;
/** Bytes kept for the image header check (dimensions) after the upload; large EXIF blocks come first in JPEGs. */
const HEAD_BYTES = 1024 * 1024;

export interface InspectedFile {
  readonly type: AllowedType;
  readonly size: number;
  readonly sha256: string;
  /** The first bytes (up to 1 MB) for the image header check; empty unless `keepHead`. */
  readonly head: Buffer;
  /** Whether `head` is the whole file. */
  readonly complete: boolean;
}

export interface InspectorOptions {
  /** The sanitised display name, for messages. */
  readonly name: string;
  readonly candidates: readonly AllowedType[];
  readonly maxBytes: number;
  /** What is left of the organisation's storage quota (or the customer's own) for this upload. */
  readonly allowanceBytes: number;
  /** The error past the allowance; the organisation's quota when not given. */
  readonly overAllowance?: (name: string) => AppError;
  /** Keep the first megabyte for the image header check (only images need it). */
  readonly keepHead: boolean;
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * A pass-through stream between an uploaded part and the store that enforces the limits as the
 * bytes arrive: it fails on the first byte past the limit, holds the first 64 KB back until the
 * bytes' type is known (so nothing of a refused file reaches the store), hashes everything and
 * keeps the head for the image check. Failing destroys the pipeline, and the store discards the object.
 */
export class UploadInspector extends Transform {
  private readonly options: InspectorOptions;
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private type: AllowedType | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private result: InspectedFile | undefined;

  constructor(options: InspectorOptions) {
    super();
    this.options = options;
  }

  /** Available once the stream has finished. */
  get inspected(): InspectedFile {
    if (!this.result) throw new Error('UploadInspector: the upload has not finished');
    return this.result;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.options.maxBytes) {
      callback(
        new AppError(
          'FILE_TOO_LARGE',
          `“${this.options.name}” is larger than ${megabytes(this.options.maxBytes)}, the limit for one file.`,
          {
            details: [{ path: 'files', message: this.options.name }],
          },
        ),
      );
      return;
    }
    if (this.size > this.options.allowanceBytes) {
      callback(
        this.options.overAllowance?.(this.options.name) ??
          new AppError(
            'TENANT_QUOTA_EXCEEDED',
            `There is no room left for “${this.options.name}”: the organisation's file storage is full.`,
            {
              details: [{ path: 'files', message: this.options.name }],
            },
          ),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.options.keepHead && this.headBytes < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headBytes);
      this.head.push(part);
      this.headBytes += part.length;
    }
    if (this.type) {
      this.checkText(chunk, callback);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < SNIFF_BYTES) {
      callback();
      return;
    }
    this.decide(callback);
  }

  override _flush(callback: TransformCallback): void {
    // decide() hands over the held-back bytes like a transform callback does; here they are pushed.
    const finish = (error?: Error | null, held?: Buffer) => {
      if (error) {
        callback(error);
        return;
      }
      if (held) this.push(held);
      if (!this.type) throw new Error('UploadInspector: flushed without a type');
      const head = Buffer.concat(this.head);
      this.result = {
        type: this.type,
        size: this.size,
        sha256: this.hash.digest('hex'),
        head,
        complete: this.options.keepHead && head.length === this.size,
      };
      callback();
    };
    if (this.type) finish();
    else this.decide(finish);
  }

  private decide(callback: TransformCallback): void {
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    fileTypeFromBuffer(bytes).then(
      (sniffed) => {
        const type = matchType(this.options.candidates, sniffed?.mime);
        if (!type || (type.text && looksLikeMarkup(bytes))) {
          callback(notWhatItsNameSays(this.options.name));
          return;
        }
        this.type = type;
        this.checkText(bytes, callback);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  /** Text files must stay text to the end: a NUL byte anywhere means binary content under a text name. */
  private checkText(chunk: Buffer, callback: TransformCallback): void {
    if (this.type?.text && chunk.includes(0)) {
      callback(notWhatItsNameSays(this.options.name));
      return;
    }
    callback(null, chunk);
  }
}

export function notAllowed(name: string): AppError {
  return new AppError(
    'FILE_TYPE_NOT_ALLOWED',
    `“${name}” is not a file type we accept. Send photos (JPEG, PNG, WebP, GIF, HEIC), PDFs, text or CSV files, or Office documents.`,
    { details: [{ path: 'files', message: name }] },
  );
}

/** The name's extension is on the list, but the bytes are something else (an HTML page named .png, a program named .jpg). */
function notWhatItsNameSays(name: string): AppError {
  const extension = name.slice(name.lastIndexOf('.') + 1).toUpperCase();
  return new AppError(
    'FILE_TYPE_NOT_ALLOWED',
    `“${name}” is not really a ${extension} file: its contents do not match its name, so it was not accepted. Send the original file.`,
    { details: [{ path: 'files', message: name }] },
  );
}
