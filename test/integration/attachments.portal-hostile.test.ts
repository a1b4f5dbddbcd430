import { describe, expect, it } from 'vitest';
import {
  htmlRenamedPng,
  pixelBombPng,
  polyglotGifJs,
  POLYGLOT_SCRIPT,
  svgWithScript,
  windowsExecutable,
} from '../helpers/image-fixtures.js';
import { type PartSpec } from '../helpers/multipart-upload.js';
import { file, text, usePortalFiles } from '../helpers/portal-files.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** Portal uploads that try to be something else: refused whole, or re-encoded so nothing of the attack is served. */
describeEachDialect('portal files: hostile uploads', (getDb) => {
  const w = usePortalFiles(getDb);
  const { upload, get, objectsOf, snapshot, expectNothingLeft, ok, drainWorker } = w;

  describe('hostile files', () => {
    const refused = async (parts: PartSpec[], status: number, code: string, name: string) => {
      const before = await snapshot(w.tenant.id);
      const res = await upload(w.alice, parts);
      expect([res.status, res.json.error?.code], JSON.stringify(res.json)).toEqual([status, code]);
      expect(res.json.error?.message).toContain(name);
      await expectNothingLeft(w.tenant.id, before);
    };

    it('refuses SVG with script, HTML renamed .png, an executable sent as image/png, and markup named .txt', async () => {
      await refused([file('logo.svg', svgWithScript(), 'image/png')], 415, 'FILE_TYPE_NOT_ALLOWED', 'logo.svg');
      await refused([file('photo.png', htmlRenamedPng(), 'image/png')], 415, 'FILE_TYPE_NOT_ALLOWED', 'photo.png');
      await refused([file('photo.png', windowsExecutable(), 'image/png')], 415, 'FILE_TYPE_NOT_ALLOWED', 'photo.png');
      await refused(
        [file('notes.txt', Buffer.from('<!DOCTYPE html><script>alert(1)</script>'))],
        415,
        'FILE_TYPE_NOT_ALLOWED',
        'notes.txt',
      );
      await refused([file('data.csv', Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(10)]))], 415, 'FILE_TYPE_NOT_ALLOWED', 'data.csv');
      await refused([file('setup.exe', windowsExecutable())], 415, 'FILE_TYPE_NOT_ALLOWED', 'setup.exe');
    });

    it('refuses a pixel bomb from its header', async () => {
      const bomb = pixelBombPng();
      expect(bomb.length).toBeLessThan(1024 * 1024);
      await refused([file('bomb.png', bomb)], 422, 'IMAGE_TOO_LARGE', 'bomb.png');
    });

    it('never serves a GIF/JS polyglot as it came: a decodable one is re-encoded without the script', async () => {
      const [gif] = ok(await upload(w.alice, [file('funny.gif', polyglotGifJs())]));
      await drainWorker();
      const served = await get(w.alice, `/files/${gif!.id}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).includes(POLYGLOT_SCRIPT)).toBe(false);
    });

    it('never serves a GIF/JS polyglot as it came: one that does not decode is refused', async () => {
      await refused([file('funny.gif', polyglotGifJs({ decodable: false }))], 422, 'IMAGE_INVALID', 'funny.gif');
    });

    it('keeps only a clean display name: no path, no bidi override, no control characters', async () => {
      const [traversal, rtl, controls] = ok(
        await upload(w.alice, [text('../../etc/passwd.txt'), text('report\u202Efdp.txt'), text('a\u0007b\u200Bc\u009B.csv')]),
      );
      expect(traversal!.name).toBe('passwd.txt');
      expect(rtl!.name).toBe('reportfdp.txt');
      expect(controls!.name).toBe('abc.csv');
      expect(objectsOf(w.tenant.id).some((key) => key.includes('passwd') || key.includes('..'))).toBe(false);
      // An executable hiding behind a right-to-left override is still an executable.
      const res = await upload(w.alice, [file('invoice\u202Egpj.exe', windowsExecutable())]);
      expect(res.json.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
      const res2 = await get(w.alice, `/files/${rtl!.id}`);
      expect(res2.headers.get('content-disposition')).toBe(`attachment; filename="reportfdp.txt"; filename*=UTF-8''reportfdp.txt`);
    });
  });
});
