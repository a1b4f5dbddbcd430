import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** The part of s3rver's API we use (the package ships no type declarations). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  /** Its file-system store; GET Object reads through `getObject`. */
  readonly store: S3rverStore;
}
interface S3rverStore {
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3rverObject | null>;
  getResourcePath(bucket: string, key: string, resource: 'object'): string;
}
interface S3rverObject {
  /** null makes GET Object answer 416 InvalidRange for a ranged request. */
  content: Readable | null;
  readonly size: number;
  range?: { start: number; end: number };
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: readonly { name: string }[];
}) => S3rverInstance;

// s3rver is CommonJS without types; createRequire types it here instead of a global declaration.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`; use with path-style addressing. */
  readonly endpoint: string;
  readonly bucket: string;
  /** s3rver accepts only its fixed development credentials. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

/**
 * A real S3-protocol server (s3rver) on loopback, storing into a fresh temp directory, with one
 * bucket. It checks request signatures against its fixed credentials (`S3RVER` / `S3RVER`), and does
 * not implement AbortMultipartUpload (it answers 405; the parts stay in its temp directory, no object
 * appears). Its two deviations from S3's GET Object ranges are corrected (answerRangesLikeS3).
 */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'servelo-s3-'));
  const bucket = 'servelo-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  answerRangesLikeS3(server.store);
  try {
    const address = await server.run();
    return {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      close: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * s3rver 3.7.1 reads `bytes=0-0` as `bytes=0-` (its `end || Infinity`), answering the whole object,
 * and answers 206 with `bytes 0-0/0` and no bytes for a range of an empty object, where S3 answers
 * one byte and 416 InvalidRange respectively. Patched on this one server's store, so the contract suite
 * checks the adapter against what S3 does.
 */
function answerRangesLikeS3(store: S3rverStore): void {
  const getObject = store.getObject.bind(store);
  store.getObject = async (bucket, key, options) => {
    const object = await getObject(bucket, key, options);
    if (!object?.range) return object;
    if (object.size === 0) {
      object.content?.destroy();
      object.content = null;
      return object;
    }
    if (options?.end === 0) {
      object.content?.destroy();
      object.content = createReadStream(store.getResourcePath(bucket, key, 'object'), { start: 0, end: 0 });
      object.range = { start: 0, end: 0 };
    }
    return object;
  };
}
