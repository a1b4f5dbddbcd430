import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFileStore } from './local-file-store.js';

/** What a process killed mid-upload leaves on disk, and the sweep that removes it. */
describe('LocalFileStore leftovers', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('removes old temporary files and the folders they leave empty, and nothing else', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'servelo-store-'));
    const store = new LocalFileStore(root);
    await store.put('tenants/t1/files/f1/original', Buffer.from('kept'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const stray = (relative: string, when: Date) => {
      const file = path.join(root, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, Buffer.alloc(1024));
      utimesSync(file, when, when);
      return file;
    };
    // Killed mid-upload: a temp file beside nothing, in folders of its own.
    const orphan = stray('tenants/t1/files/f2/.original.0123456789abcdef.tmp', twoHoursAgo);
    // Killed mid-write beside an object that exists.
    const beside = stray('tenants/t1/files/f1/.display.fedcba9876543210.tmp', twoHoursAgo);
    // A write under way right now.
    const fresh = stray('tenants/t1/files/f3/.original.00112233aabbccdd.tmp', new Date());
    // Not a temp file of ours, however old.
    const other = stray('tenants/t1/files/f4/.original.tmp', twoHoursAgo);

    expect(await store.sweepLeftovers(new Date(Date.now() - 3_600_000))).toBe(2);
    expect([orphan, beside].map((f) => existsSync(f))).toEqual([false, false]);
    expect([fresh, other].map((f) => existsSync(f))).toEqual([true, true]);
    expect(existsSync(path.join(root, 'tenants/t1/files/f2'))).toBe(false);
    expect(readdirSync(path.join(root, 'tenants/t1/files')).sort()).toEqual(['f1', 'f3', 'f4']);
    const kept = await store.get('tenants/t1/files/f1/original');
    expect(kept?.size).toBe(4);
    kept?.body.destroy();
    expect(existsSync(root)).toBe(true);
  });
});
