import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { uniqueEmail } from '../helpers/factories.js';
import { hasGpsOrExif, jpegWithGps, pngOf, svgWithScript } from '../helpers/image-fixtures.js';
import { sendMultipart, type PartSpec } from '../helpers/multipart-upload.js';
import { file, text, usePortalFiles } from '../helpers/portal-files.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** Portal files: storing, serving, attaching, access, the sweep of abandoned uploads and profile photos. */
describeEachDialect('portal files', (getDb) => {
  const w = usePortalFiles(getDb);
  const { base, upload, get, post, objectsOf, ok, drainWorker, cookieOf } = w;

  it('stores photos, PDFs and CSVs, re-encodes images in the worker and serves them with safe headers', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const photo = await jpegWithGps();
    const files = ok(await upload(w.alice, [file('kitchen.jpg', photo, 'text/html'), file('invoice.pdf', pdf), text('readings.csv')]));
    expect(files.map((f) => [f.name, f.type, f.status])).toEqual([
      ['kitchen.jpg', 'image/jpeg', 'processing'],
      ['invoice.pdf', 'application/pdf', 'ready'],
      ['readings.csv', 'text/csv', 'ready'],
    ]);
    const [jpeg, doc, csv] = [files[0]!, files[1]!, files[2]!];
    // Not re-encoded yet: nothing of the raw upload is ever served.
    expect((await get(w.alice, `/files/${jpeg.id}`)).status).toBe(409);

    await drainWorker();
    for (const variant of ['original', 'display', 'thumb']) {
      const res = await get(w.alice, `/files/${jpeg.id}?variant=${variant}`);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(await hasGpsOrExif(bytes), `${variant} carries metadata`).toBe(false);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      expect(res.headers.get('content-disposition')).toMatch(variant === 'original' ? /^attachment; / : /^inline; /);
    }
    const thumb = await sharp(Buffer.from(await (await get(w.alice, `/files/${jpeg.id}?variant=thumb`)).arrayBuffer())).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBeLessThanOrEqual(400);

    const pdfRes = await get(w.alice, `/files/${doc.id}`);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    expect(pdfRes.headers.get('content-disposition')).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
    expect(Buffer.from(await pdfRes.arrayBuffer()).equals(pdf)).toBe(true);
    // Documents have no inline variants.
    expect((await get(w.alice, `/files/${csv.id}?variant=display`)).status).toBe(404);
  });
  it('supports ETag revalidation and single byte ranges', async () => {
    const content = 'x'.repeat(1000) + 'END\n';
    const [f] = ok(await upload(w.alice, [text('log.txt', content)]));
    const full = await get(w.alice, `/files/${f!.id}`);
    const etag = full.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await get(w.alice, `/files/${f!.id}`, { 'if-none-match': etag })).status).toBe(304);

    const part = await get(w.alice, `/files/${f!.id}`, { range: 'bytes=1000-1003' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1003/${content.length}`);
    expect(await part.text()).toBe('END\n');
    const suffix = await get(w.alice, `/files/${f!.id}`, { range: 'bytes=-4' });
    expect(await suffix.text()).toBe('END\n');
    // A stale If-Range gets the whole file, not a range of a different version.
    expect((await get(w.alice, `/files/${f!.id}`, { range: 'bytes=0-1', 'if-range': '"old"' })).status).toBe(200);
    const beyond = await get(w.alice, `/files/${f!.id}`, { range: 'bytes=5000-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${content.length}`);
  });
  describe('attaching and access', () => {
    it('attaches uploads to a new ticket and a reply; the ticket shows them', async () => {
      const [photo, pdf] = ok(await upload(w.alice, [file('boiler.png', await pngOf(800, 600)), text('manual.txt', 'Model X\n')]));
      const created = await post(w.alice, '/tickets', { title: 'Boiler', description: 'See photo', fileIds: [photo!.id] });
      expect(created.status).toBe(201);
      const detail = (await created.json()) as { ticket: { id: string }; messages: { attachments: { id: string; name: string }[] }[] };
      expect(detail.messages[0]!.attachments.map((a) => a.name)).toEqual(['boiler.png']);
      const reply = await post(w.alice, `/tickets/${detail.ticket.id}/messages`, { body: '', fileIds: [pdf!.id] });
      expect(reply.status).toBe(201);
      expect(((await reply.json()) as { message: { attachments: { id: string }[] } }).message.attachments.map((a) => a.id)).toEqual([
        pdf!.id,
      ]);
      // Once attached, an id cannot be attached again.
      const again = await post(w.alice, `/tickets/${detail.ticket.id}/messages`, { body: 'again', fileIds: [pdf!.id] });
      expect([again.status, ((await again.json()) as { error: { code: string } }).error.code]).toEqual([404, 'FILE_NOT_FOUND']);
      // Bob shares Alice's client: he sees the ticket, so he may download its files.
      expect((await get(w.bob, `/files/${pdf!.id}`)).status).toBe(200);
      // An empty reply without files is still refused.
      expect((await post(w.alice, `/tickets/${detail.ticket.id}/messages`, { body: ' ', fileIds: [] })).status).toBe(400);
    });

    it('answers 404 for another contact’s upload, another client’s file, another tenant’s file and an internal note’s file', async () => {
      const [alicesUpload] = ok(await upload(w.alice, [text('mine.txt')]));
      const [yarasFile] = ok(await upload(w.yara, [text('yara.txt')]));
      expect((await post(w.yara, `/tickets/${w.yaraTicket.id}/messages`, { body: 'here', fileIds: [yarasFile!.id] })).status).toBe(201);
      const [strangersFile] = ok(await upload(w.stranger, [text('elsewhere.txt')]));

      // Downloads.
      expect((await get(w.bob, `/files/${alicesUpload!.id}`)).status).toBe(404); // not attached: only Alice
      expect((await get(w.alice, `/files/${yarasFile!.id}`)).status).toBe(404); // another client's ticket
      expect((await get(w.alice, `/files/${strangersFile!.id}`)).status).toBe(404); // another tenant
      expect((await get(w.stranger, `/files/${yarasFile!.id}`)).status).toBe(404);
      // Attaching.
      for (const [who, id] of [
        [w.bob, alicesUpload!.id],
        [w.alice, yarasFile!.id],
        [w.alice, strangersFile!.id],
      ] as const) {
        const res = await post(who, `/tickets/${w.aliceTicket.id}/messages`, { body: 'x', fileIds: [id] });
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FILE_NOT_FOUND');
      }
      // A file on an internal note is as invisible as the note.
      const [noteFile] = ok(await upload(w.alice, [text('note.txt')]));
      const scope = forTenant(w.t.deps.db, w.tenant.id);
      const member = await addTeamMember(w.t.deps, w.tenant.id, {
        email: uniqueEmail('agent', 'harbor.example.com'),
        name: 'Sam',
        role: 'agent',
      });
      const note = await appendMessage(scope, w.t.clock, {
        ticketId: w.aliceTicket.id,
        author: { kind: 'team_member', id: member.id },
        body: 'internal',
        visibility: 'internal',
        via: 'app',
      });
      await scope
        .updateTable('file')
        .set({ ticket_id: w.aliceTicket.id, message_id: note.id, attached_at: '2026-11-24T09:00:00.000Z' })
        .where('file.id', '=', noteFile!.id)
        .execute();
      expect((await get(w.alice, `/files/${noteFile!.id}`)).status).toBe(404);
      expect((await get(w.alice, `/files/no-such-id`)).status).toBe(404);
      expect((await fetch(`${base(w.alice)}/files/${alicesUpload!.id}`)).status).toBe(401);
    });
  });
  it('deletes uploads never attached after 24 hours, and keeps attached ones', async () => {
    const [kept, dropped] = ok(await upload(w.alice, [text('kept.txt'), text('dropped.txt')]));
    expect((await post(w.alice, `/tickets/${w.aliceTicket.id}/messages`, { body: 'file', fileIds: [kept!.id] })).status).toBe(201);
    w.t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const objectsBefore = objectsOf(w.tenant.id).length;
    const { sweepAbandonedFiles } = await import('../../src/features/attachments/file.service.js');
    expect(await sweepAbandonedFiles(w.t.deps)).toBeGreaterThanOrEqual(1);
    expect((await get(w.alice, `/files/${dropped!.id}`)).status).toBe(404);
    expect((await get(w.alice, `/files/${kept!.id}`)).status).toBe(200);
    expect(objectsOf(w.tenant.id).length).toBeLessThan(objectsBefore);
    expect(objectsOf(w.tenant.id).some((key) => key.startsWith(dropped!.id))).toBe(false);
  });
  it('sets, serves, replaces and removes a profile photo (raster only, at most 512×512, no metadata)', async () => {
    const put = (parts: PartSpec[]) => sendMultipart(`${base(w.bob)}/me/photo`, parts, { method: 'PUT', cookie: cookieOf(w.bob) });
    const first = await put([{ field: 'photo', filename: 'me.jpg', content: await jpegWithGps() }]);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const photoId = first.json.photoFileId as string;
    const me = (await (await get(w.bob, '/me')).json()) as { contact: { photoFileId: string } };
    expect(me.contact.photoFileId).toBe(photoId);
    const served = await get(w.bob, `/files/${photoId}`);
    expect(served.headers.get('content-disposition')).toMatch(/^inline; /);
    const bytes = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width <= 512, meta.width === meta.height]).toEqual(['jpeg', true, true]);
    expect(await hasGpsOrExif(bytes)).toBe(false);
    // Someone else's photo is not theirs to fetch.
    expect((await get(w.alice, `/files/${photoId}`)).status).toBe(404);

    expect((await put([{ field: 'photo', filename: 'me.svg', content: svgWithScript() }])).json.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect((await put([{ field: 'photo', filename: 'me.pdf', content: Buffer.from('%PDF-1.4\n') }])).json.error?.code).toBe(
      'FILE_TYPE_NOT_ALLOWED',
    );
    const second = await put([{ field: 'photo', filename: 'new.png', content: await pngOf(1200, 900) }]);
    expect(second.status).toBe(200);
    expect((await get(w.bob, `/files/${photoId}`)).status).toBe(404); // the replaced photo is gone
    const removed = await fetch(`${base(w.bob)}/me/photo`, {
      method: 'DELETE',
      headers: { cookie: cookieOf(w.bob), 'sec-fetch-site': 'same-origin' },
    });
    expect(removed.status).toBe(200);
    expect((await get(w.bob, `/files/${second.json.photoFileId as string}`)).status).toBe(404);
  });
});
