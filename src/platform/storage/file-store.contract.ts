import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStore, StoredObject } from './file-store.js';

/**
 * The behaviour every FileStore adapter owes its callers, run against each adapter
 * (file-store.contract.test.ts) so that local disk and S3 stay interchangeable behind the port.
 * Not a test file itself: it is imported by one.
 */
export interface FileStoreUnderTest {
  readonly store: FileStore;
  cleanup(): Promise<void>;
}

const CHUNK_SIZE = 64 * 1024;
/** Larger than two S3 parts (5 MB each), so the streamed case exercises a real multipart upload. */
const LARGE_SIZE = 12 * 1024 * 1024 + 12_345;

/** Keys both adapters must refuse; shared with the local adapter's own on-disk checks. */
export const BAD_KEYS: readonly (readonly [string, string])[] = [
  ['empty', ''],
  ['absolute', '/etc/passwd'],
  ['parent segment', '../outside.txt'],
  ['inner parent segment', 'tenants/../../outside.txt'],
  ['dot-dot anywhere', 'tenants/a..b/logo.png'],
  ['backslash', 'tenants\\t1\\logo.png'],
  ['NUL', 'tenants/t1/logo.png\0.txt'],
  ['empty segment', 'tenants//logo.png'],
  ['trailing slash', 'tenants/t1/'],
  ['dot segment', 'tenants/./logo.png'],
  ['dot-file (reserved for temp files)', 'tenants/t1/.logo.png.tmp'],
];

/** A stream of `totalBytes` random bytes made on demand, chunk by chunk; never held whole. */
function generatedStream(totalBytes: number): { readonly stream: Readable; sha256(): string } {
  const hash = createHash('sha256');
  let remaining = totalBytes;
  const stream = new Readable({
    read() {
      if (remaining === 0) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(CHUNK_SIZE, remaining));
      remaining -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

/** A stream that sends `bytesBeforeFailure` bytes and then fails, like a client that went away. */
function failingStream(bytesBeforeFailure: number, message: string): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytesBeforeFailure) {
        this.destroy(new Error(message));
        return;
      }
      const chunk = Buffer.alloc(Math.min(CHUNK_SIZE, bytesBeforeFailure - sent), 'z');
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** Reads an object's body chunk by chunk, hashing and counting it. */
async function digestOf(object: StoredObject | undefined): Promise<{ size: number; bytes: number; sha256: string }> {
  if (!object) throw new Error('expected an object, got undefined');
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of object.body) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return { size: object.size, bytes, sha256: hash.digest('hex') };
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

async function textOf(object: StoredObject | undefined): Promise<string> {
  if (!object) throw new Error('expected an object, got undefined');
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function describeFileStoreContract(name: string, makeStore: () => Promise<FileStoreUnderTest>): void {
  describe(`FileStore contract: ${name}`, () => {
    let subject: FileStoreUnderTest;
    let store: FileStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it('stores a buffer and reads back the same bytes and size', async () => {
      const contents = randomBytes(100_000);
      expect(await store.put('tenants/t1/files/photo.jpg', contents)).toEqual({ size: contents.length });
      expect(await digestOf(await store.get('tenants/t1/files/photo.jpg'))).toEqual({
        size: contents.length,
        bytes: contents.length,
        sha256: sha256(contents),
      });
    });

    it('stores empty objects from a buffer and from a stream', async () => {
      expect(await store.put('tenants/t1/empty-buffer.txt', Buffer.alloc(0))).toEqual({ size: 0 });
      expect(await store.put('tenants/t1/empty-stream.txt', Readable.from([]))).toEqual({ size: 0 });
      expect(await textOf(await store.get('tenants/t1/empty-buffer.txt'))).toBe('');
      const streamed = await store.get('tenants/t1/empty-stream.txt');
      expect(streamed?.size).toBe(0);
      expect(await textOf(streamed)).toBe('');
    });

    it('streams a large Readable chunk by chunk, counting its bytes, and reads back the same bytes', async () => {
      const source = generatedStream(LARGE_SIZE);
      expect(await store.put('tenants/t1/files/video.bin', source.stream)).toEqual({ size: LARGE_SIZE });
      expect(await digestOf(await store.get('tenants/t1/files/video.bin'))).toEqual({
        size: LARGE_SIZE,
        bytes: LARGE_SIZE,
        sha256: source.sha256(),
      });
    });

    it('overwrites an existing object, from a buffer and from a stream', async () => {
      await store.put('tenants/t1/logo.png', Buffer.from('old contents'));
      await store.put('tenants/t1/logo.png', Buffer.from('new'));
      const replaced = await store.get('tenants/t1/logo.png');
      expect(replaced?.size).toBe(3);
      expect(await textOf(replaced)).toBe('new');

      await store.put('tenants/t1/logo.png', Readable.from([Buffer.from('streamed '), Buffer.from('again')]));
      const streamed = await store.get('tenants/t1/logo.png');
      expect(streamed?.size).toBe(14);
      expect(await textOf(streamed)).toBe('streamed again');
    });

    it('answers undefined for a missing object, also below an object or for a key prefix', async () => {
      expect(await store.get('tenants/nobody/logo.png')).toBeUndefined();
      await store.put('tenants/t1/logo.png', Buffer.from('x'));
      expect(await store.get('tenants/t1/logo.png/inner')).toBeUndefined();
      expect(await store.get('tenants/t1')).toBeUndefined();
    });

    it('deletes an object and ignores deleting a missing one', async () => {
      await store.put('tenants/t1/logo.png', Buffer.from('x'));
      await store.put('tenants/t1/other.png', Buffer.from('y'));
      await store.delete('tenants/t1/logo.png');
      expect(await store.get('tenants/t1/logo.png')).toBeUndefined();
      expect(await textOf(await store.get('tenants/t1/other.png'))).toBe('y');
      await expect(store.delete('tenants/t1/logo.png')).resolves.toBeUndefined();
      await expect(store.delete('tenants/never/was.png')).resolves.toBeUndefined();
    });

    it.each(BAD_KEYS)('rejects a bad key (%s) in put, get and delete', async (_name, key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid storage key/);
      await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toThrow(/Invalid storage key/);
      await expect(store.get(key)).rejects.toThrow(/Invalid storage key/);
      await expect(store.delete(key)).rejects.toThrow(/Invalid storage key/);
    });

    it('leaves no object when a stream fails midway, before or after its first few megabytes', async () => {
      // 6 MB is past the first S3 part, so a multipart upload is under way when the source fails.
      for (const bytesBeforeFailure of [0, 1024, 6 * 1024 * 1024 + 1]) {
        const key = `tenants/t1/files/broken-${bytesBeforeFailure}.bin`;
        await expect(store.put(key, failingStream(bytesBeforeFailure, 'client went away'))).rejects.toThrow('client went away');
        expect(await store.get(key)).toBeUndefined();
      }
    });

    it('keeps the previous object when a stream replacing it fails midway', async () => {
      await store.put('tenants/t1/logo.png', Buffer.from('previous'));
      await expect(store.put('tenants/t1/logo.png', failingStream(6 * 1024 * 1024 + 1, 'aborted'))).rejects.toThrow('aborted');
      const object = await store.get('tenants/t1/logo.png');
      expect(object?.size).toBe(8);
      expect(await textOf(object)).toBe('previous');
    });
  });
}
