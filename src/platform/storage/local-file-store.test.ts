import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BAD_KEYS } from './file-store.contract.js';
import { LocalFileStore } from './local-file-store.js';

/** Every file below `dir`, relative to it, including dot-files (temp files are dot-files). */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Open file descriptors of this process; Linux only, hence the runIf below. */
function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('LocalFileStore', () => {
  let root: string;
  let store: LocalFileStore;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'servelo-files-'));
    store = new LocalFileStore(root);
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a buffer and reads it back with its size, creating directories', async () => {
    const result = await store.put('tenants/t1/logo.png', Buffer.from('hello'));
    expect(result).toEqual({ size: 5 });

    const object = await store.get('tenants/t1/logo.png');
    expect(object?.size).toBe(5);
    expect(await text(object!.body)).toBe('hello');
    expect(listFiles(root)).toEqual([path.join('tenants', 't1', 'logo.png')]);
  });

  it('streams a Readable and counts its bytes', async () => {
    const chunks = [Buffer.alloc(70_000, 'a'), Buffer.alloc(30_000, 'b')];
    const result = await store.put('tenants/t1/files/big.bin', Readable.from(chunks));
    expect(result.size).toBe(100_000);
    const object = await store.get('tenants/t1/files/big.bin');
    expect(object?.size).toBe(100_000);
    expect((await text(object!.body)).length).toBe(100_000);
  });

  it('overwrites an existing object', async () => {
    await store.put('tenants/t1/logo.png', Buffer.from('old contents'));
    await store.put('tenants/t1/logo.png', Buffer.from('new'));
    const object = await store.get('tenants/t1/logo.png');
    expect(object?.size).toBe(3);
    expect(await text(object!.body)).toBe('new');
    expect(listFiles(root)).toEqual([path.join('tenants', 't1', 'logo.png')]);
  });

  it('lets a reader finish the object it opened while a writer replaces it', async () => {
    await store.put('tenants/t1/logo.png', Buffer.from('first version'));
    const opened = await store.get('tenants/t1/logo.png');
    await store.put('tenants/t1/logo.png', Buffer.from('second'));
    expect(opened?.size).toBe(13);
    expect(await text(opened!.body)).toBe('first version');
  });

  it('reads a range of the version it opened while a writer replaces it, with the size of that version', async () => {
    await store.put('tenants/t1/logo.png', Buffer.from('first version'));
    const opened = await store.get('tenants/t1/logo.png', { start: 6, end: 100 });
    await store.put('tenants/t1/logo.png', Buffer.from('second'));
    expect(opened?.size).toBe(13);
    expect(await text(opened!.body)).toBe('version');
  });

  it.runIf(existsSync('/proc/self/fd'))('closes the file of a range read to its end, destroyed early or refused', async () => {
    await store.put('tenants/t1/big.bin', Buffer.alloc(1024 * 1024, 'b'));
    const before = openFdCount();

    const whole = await store.get('tenants/t1/big.bin', { start: 1, end: 1024 * 1024 });
    expect(openFdCount()).toBe(before + 1);
    expect((await text(whole!.body)).length).toBe(1024 * 1024 - 1);
    if (!whole!.body.closed) await once(whole!.body, 'close');
    expect(openFdCount()).toBe(before);

    const early = await store.get('tenants/t1/big.bin', { start: 0, end: 1024 * 1024 - 1 });
    await once(early!.body, 'data');
    early!.body.destroy();
    if (!early!.body.closed) await once(early!.body, 'close');
    expect(openFdCount()).toBe(before);

    await expect(store.get('tenants/t1/big.bin', { start: 1024 * 1024, end: 1024 * 1024 })).rejects.toThrow(RangeError);
    expect(openFdCount()).toBe(before);
  });

  it('answers undefined for a missing object, also below a file or a missing directory', async () => {
    expect(await store.get('tenants/nobody/logo.png')).toBeUndefined();
    await store.put('tenants/t1/logo.png', Buffer.from('x'));
    expect(await store.get('tenants/t1/logo.png/inner')).toBeUndefined();
    // A directory is not an object.
    expect(await store.get('tenants/t1')).toBeUndefined();
  });

  it('deletes an object and ignores deleting a missing one', async () => {
    await store.put('tenants/t1/logo.png', Buffer.from('x'));
    await store.delete('tenants/t1/logo.png');
    expect(await store.get('tenants/t1/logo.png')).toBeUndefined();
    await expect(store.delete('tenants/t1/logo.png')).resolves.toBeUndefined();
    await expect(store.delete('tenants/never/was.png')).resolves.toBeUndefined();
  });

  it.each(BAD_KEYS.map(([name, key]) => [name, key] as const))('rejects a bad key (%s) in put, get and delete', async (_name, key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid storage key/);
    await expect(store.get(key)).rejects.toThrow(/Invalid storage key/);
    await expect(store.delete(key)).rejects.toThrow(/Invalid storage key/);
    expect(listFiles(root)).toEqual([]);
  });

  it('keeps the previous object and leaves no temp file when the stream fails midway', async () => {
    await store.put('tenants/t1/logo.png', Buffer.from('previous'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 'z'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('tenants/t1/logo.png', failing)).rejects.toThrow('client went away');

    expect(listFiles(root)).toEqual([path.join('tenants', 't1', 'logo.png')]);
    const object = await store.get('tenants/t1/logo.png');
    expect(await text(object!.body)).toBe('previous');
  });

  it('leaves no temp file when the stream fails before its first byte', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('aborted'));
      },
    });
    await expect(store.put('tenants/t2/new.bin', failing)).rejects.toThrow('aborted');
    expect(listFiles(root)).toEqual([]);
    expect(await store.get('tenants/t2/new.bin')).toBeUndefined();
  });
});
