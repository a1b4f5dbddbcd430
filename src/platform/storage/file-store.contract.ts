import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ByteRange, FileStore, StoredObject } from './file-store.js';

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

/** Ranges both adapters must refuse before any I/O: they are programming errors, not HTTP 416s. */
const BAD_RANGES: readonly (readonly [string, ByteRange])[] = [
  ['start after end', { start: 5, end: 4 }],
  ['negative start', { start: -1, end: 3 }],
  ['negative end', { start: 0, end: -1 }],
  ['fractional', { start: 0.5, end: 3 }],
  ['NaN', { start: Number.NaN, end: 3 }],
  ['infinite end', { start: 0, end: Number.POSITIVE_INFINITY }],
];

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

async function bytesOf(object: StoredObject | undefined): Promise<Buffer> {
  if (!object) throw new Error('expected an object, got undefined');
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function textOf(object: StoredObject | undefined): Promise<string> {
  return (await bytesOf(object)).toString('utf8');
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

    describe('byte ranges', () => {
      const key = 'tenants/t1/files/range.txt';
      const contents = 'hello, range';

      beforeEach(async () => {
        await store.put(key, Buffer.from(contents));
      });

      it('reads only the first byte for 0-0, and reports the whole size', async () => {
        const object = await store.get(key, { start: 0, end: 0 });
        expect(object?.size).toBe(contents.length);
        expect(await textOf(object)).toBe('h');
      });

      it('reads the last byte, a middle range and the whole object as a range', async () => {
        const last = contents.length - 1;
        const cases: readonly [ByteRange, string][] = [
          [{ start: last, end: last }, 'e'],
          [{ start: 7, end: 10 }, 'rang'],
          [{ start: 0, end: last }, contents],
        ];
        for (const [range, expected] of cases) {
          const object = await store.get(key, range);
          expect(object?.size).toBe(contents.length);
          expect(await textOf(object)).toBe(expected);
        }
      });

      it('reads a middle range of a 12 MB multipart object byte-exact, across its part boundaries', async () => {
        const large = randomBytes(LARGE_SIZE);
        const chunks = Array.from({ length: Math.ceil(LARGE_SIZE / CHUNK_SIZE) }, (_, i) =>
          large.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE),
        );
        await store.put('tenants/t1/files/video.bin', Readable.from(chunks));
        // Starts inside the first 5 MB part and ends inside the third.
        const range = { start: 5 * 1024 * 1024 - 1_001, end: 10 * 1024 * 1024 + 777 };
        expect(await digestOf(await store.get('tenants/t1/files/video.bin', range))).toEqual({
          size: LARGE_SIZE,
          bytes: range.end - range.start + 1,
          sha256: sha256(large.subarray(range.start, range.end + 1)),
        });
      });

      it('clamps an end beyond the object to its last byte, as HTTP does', async () => {
        for (const end of [contents.length, 10_000_000]) {
          const object = await store.get(key, { start: 7, end });
          expect(object?.size).toBe(contents.length);
          expect(await textOf(object)).toBe('range');
        }
      });

      it('answers undefined for a range of a missing object', async () => {
        expect(await store.get('tenants/nobody/logo.png', { start: 0, end: 0 })).toBeUndefined();
        expect(await store.get('tenants/nobody/logo.png', { start: 5, end: 9 })).toBeUndefined();
      });

      it('rejects a range starting beyond the last byte with a RangeError, also every range of an empty object', async () => {
        await expect(store.get(key, { start: contents.length, end: contents.length })).rejects.toThrow(RangeError);
        await expect(store.get(key, { start: 100, end: 200 })).rejects.toThrow(RangeError);
        await store.put('tenants/t1/empty.txt', Buffer.alloc(0));
        await expect(store.get('tenants/t1/empty.txt', { start: 0, end: 0 })).rejects.toThrow(RangeError);
        // The store is still usable afterwards (no handle or connection left half-open).
        expect(await textOf(await store.get(key, { start: 0, end: 4 }))).toBe('hello');
      });

      it.each(BAD_RANGES)('rejects a malformed range (%s) with a RangeError, before looking for the object', async (_name, range) => {
        await expect(store.get(key, range)).rejects.toThrow(RangeError);
        await expect(store.get('tenants/nobody/logo.png', range)).rejects.toThrow(RangeError);
      });

      it('releases a range stream destroyed early, like a client that went away', async () => {
        const large = randomBytes(1024 * 1024);
        await store.put('tenants/t1/files/big.bin', large);
        const object = await store.get('tenants/t1/files/big.bin', { start: 10, end: large.length - 10 });
        if (!object) throw new Error('expected an object, got undefined');
        const [first] = (await once(object.body, 'data')) as [Buffer];
        expect(first.equals(large.subarray(10, 10 + first.length))).toBe(true);
        object.body.destroy();
        // 'close' comes after the file handle (or socket) is released.
        if (!object.body.closed) await once(object.body, 'close');
        expect(object.body.destroyed).toBe(true);
        await store.delete('tenants/t1/files/big.bin');
        expect(await store.get('tenants/t1/files/big.bin', { start: 0, end: 0 })).toBeUndefined();
      });
    });
  });
}
