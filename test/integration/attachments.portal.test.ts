import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createClient, type Client, type Contact } from '../../src/features/clients/client.service.js';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { addTeamMember } from '../../src/features/team/team.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { createTicket, type Ticket } from '../../src/features/tickets/ticket.service.js';
import type { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createWorker } from '../../src/server.js';
import {
  hasGpsOrExif,
  htmlRenamedPng,
  jpegWithGps,
  pixelBombPng,
  pngOf,
  polyglotGifJs,
  POLYGLOT_SCRIPT,
  svgWithScript,
  windowsExecutable,
} from '../helpers/image-fixtures.js';
import { sendMultipart, type PartSpec, type UploadResult } from '../helpers/multipart-upload.js';
import { SignInDriver, sessionCookieOf } from '../helpers/sign-in.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const MB = 1024 * 1024;
let serial = 0;

const text = (name: string, content = 'a,b\n1,2\n'): PartSpec => ({ field: 'files', filename: name, content: Buffer.from(content) });
const big = (name: string, size: number): PartSpec => ({ field: 'files', filename: name, content: { size, fill: 'col1,col2,col3\n' } });
const file = (name: string, content: Buffer, contentType?: string): PartSpec => ({
  field: 'files',
  filename: name,
  content,
  ...(contentType ? { contentType } : {}),
});

describeEachDialect('portal files', (getDb) => {
  let t: TestApp;
  let origin: string;
  let worker: OutboxWorker;
  let tenant: Tenant;
  let other: Tenant;
  let shared: Client;
  let alice: Contact; // shared client, sees all of its tickets
  let bob: Contact; // shared client
  let yara: Contact; // another client
  let stranger: Contact; // another tenant
  let aliceTicket: Ticket;
  let yaraTicket: Ticket;
  const cookies = new Map<string, string>();

  const base = (who: Contact) => `${origin}/portal/${who.tenantId === tenant.id ? tenant.slug : other.slug}/api`;
  const upload = (who: Contact, parts: readonly PartSpec[], options: Parameters<typeof sendMultipart>[2] = {}) =>
    sendMultipart(`${base(who)}/uploads`, parts, { cookie: cookies.get(who.id)!, ...options });
  const get = (who: Contact, pathAndQuery: string, headers: Record<string, string> = {}) =>
    fetch(`${base(who)}${pathAndQuery}`, { headers: { cookie: cookies.get(who.id)!, ...headers } });
  const post = (who: Contact, pathAndQuery: string, body: unknown) =>
    fetch(`${base(who)}${pathAndQuery}`, {
      method: 'POST',
      headers: { cookie: cookies.get(who.id)!, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const filesDir = () => (t.config.storage.kind === 'local' ? t.config.storage.dir : '');
  /** Every object the store holds for a tenant (the local adapter: files on disk, temp files included). */
  const objectsOf = (tenantId: string): string[] => {
    const dir = path.join(filesDir(), 'tenants', tenantId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  };
  const rowsOf = async (tenantId: string) => {
    const scope = forTenant(t.deps.db, tenantId);
    return (await scope.selectFrom('file').select('file.id').execute()).length;
  };
  const expectNothingLeft = async (tenantId: string, before: { rows: number; objects: number }) => {
    expect(await rowsOf(tenantId)).toBe(before.rows);
    expect(objectsOf(tenantId)).toHaveLength(before.objects);
  };
  const snapshot = async (tenantId: string) => ({ rows: await rowsOf(tenantId), objects: objectsOf(tenantId).length });
  const ok = (res: UploadResult) => {
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json.files!;
  };
  const drainWorker = async () => {
    while ((await worker.runOnce()) > 0) {
      /* until the outbox is empty */
    }
  };

  beforeAll(async () => {
    const database = getDb();
    t = await buildTestApp(database);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    worker = createWorker(t.config, t.deps, undefined);
    const d = new SignInDriver(t);
    serial += 1;
    const stamp = `${serial}-${Date.now().toString(36)}`;
    tenant = await createTenant(t.deps, { slug: `files-${stamp}`, name: 'Harbor Plumbing' });
    other = await createTenant(t.deps, { slug: `files-other-${stamp}`, name: 'Other Co' });
    shared = await createClient(t.deps, tenant.id, { name: 'Shared Ltd', ticketVisibility: 'all' });
    const yaras = await createClient(t.deps, tenant.id, { name: 'Yara Family' });
    alice = await addContact(t.deps, tenant.id, shared.id, { email: 'alice@shared.example.com', name: 'Alice' });
    bob = await addContact(t.deps, tenant.id, shared.id, { email: 'bob@shared.example.com', name: 'Bob' });
    yara = await addContact(t.deps, tenant.id, yaras.id, { email: 'yara@own.example.com', name: 'Yara' });
    const elsewhere = await createClient(t.deps, other.id, { name: 'Elsewhere' });
    stranger = await addContact(t.deps, other.id, elsewhere.id, { email: 'alice@shared.example.com', name: 'Alice Elsewhere' });
    const ticketOf = (c: Contact, clientId: string, title: string) =>
      createTicket(
        t.deps,
        c.tenantId,
        { clientId, requesterContactId: c.id, title, body: title, source: 'portal' },
        { kind: 'contact', id: c.id },
      );
    aliceTicket = await ticketOf(alice, shared.id, 'Leaking tap');
    yaraTicket = await ticketOf(yara, yaras.id, 'Blocked drain');
    for (const c of [alice, bob, yara, stranger]) {
      const slug = c.tenantId === tenant.id ? tenant.slug : other.slug;
      const { token } = await d.serviceLinkFor(c.tenantId, c.email);
      cookies.set(c.id, sessionCookieOf(await d.confirm(slug, token)));
    }
  });
  afterAll(async () => {
    await worker.stop();
    await t.close();
  });

  it('stores photos, PDFs and CSVs, re-encodes images in the worker and serves them with safe headers', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const photo = await jpegWithGps();
    const files = ok(await upload(alice, [file('kitchen.jpg', photo, 'text/html'), file('invoice.pdf', pdf), text('readings.csv')]));
    expect(files.map((f) => [f.name, f.type, f.status])).toEqual([
      ['kitchen.jpg', 'image/jpeg', 'processing'],
      ['invoice.pdf', 'application/pdf', 'ready'],
      ['readings.csv', 'text/csv', 'ready'],
    ]);
    const [jpeg, doc, csv] = [files[0]!, files[1]!, files[2]!];
    // Not re-encoded yet: nothing of the raw upload is ever served.
    expect((await get(alice, `/files/${jpeg.id}`)).status).toBe(409);

    await drainWorker();
    for (const variant of ['original', 'display', 'thumb']) {
      const res = await get(alice, `/files/${jpeg.id}?variant=${variant}`);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(await hasGpsOrExif(bytes), `${variant} carries metadata`).toBe(false);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      expect(res.headers.get('content-disposition')).toMatch(variant === 'original' ? /^attachment; / : /^inline; /);
    }
    const thumb = await sharp(Buffer.from(await (await get(alice, `/files/${jpeg.id}?variant=thumb`)).arrayBuffer())).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBeLessThanOrEqual(400);

    const pdfRes = await get(alice, `/files/${doc.id}`);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    expect(pdfRes.headers.get('content-disposition')).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
    expect(Buffer.from(await pdfRes.arrayBuffer()).equals(pdf)).toBe(true);
    // Documents have no inline variants.
    expect((await get(alice, `/files/${csv.id}?variant=display`)).status).toBe(404);
  });

  it('supports ETag revalidation and single byte ranges', async () => {
    const content = 'x'.repeat(1000) + 'END\n';
    const [f] = ok(await upload(alice, [text('log.txt', content)]));
    const full = await get(alice, `/files/${f!.id}`);
    const etag = full.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect((await get(alice, `/files/${f!.id}`, { 'if-none-match': etag })).status).toBe(304);

    const part = await get(alice, `/files/${f!.id}`, { range: 'bytes=1000-1003' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1003/${content.length}`);
    expect(await part.text()).toBe('END\n');
    const suffix = await get(alice, `/files/${f!.id}`, { range: 'bytes=-4' });
    expect(await suffix.text()).toBe('END\n');
    // A stale If-Range gets the whole file, not a range of a different version.
    expect((await get(alice, `/files/${f!.id}`, { range: 'bytes=0-1', 'if-range': '"old"' })).status).toBe(200);
    const beyond = await get(alice, `/files/${f!.id}`, { range: 'bytes=5000-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${content.length}`);
  });

  it('takes exactly 10 files of exactly 10 MB', async () => {
    const files = ok(
      await upload(
        alice,
        Array.from({ length: 10 }, (_, i) => big(`sheet-${i}.csv`, 10 * MB)),
      ),
    );
    expect(files).toHaveLength(10);
    expect(files.every((f) => f.size === 10 * MB && f.status === 'ready')).toBe(true);
  });

  it('refuses an 11th file, naming it, and keeps nothing of that upload', async () => {
    const before = await snapshot(tenant.id);
    const res = await upload(
      alice,
      Array.from({ length: 11 }, (_, i) => text(`part-${i + 1}.txt`)),
    );
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('TOO_MANY_FILES');
    expect(res.json.error?.message).toContain('part-11.txt');
    expect(res.json.error?.message).toContain('10 files');
    await expectNothingLeft(tenant.id, before);
  });

  it('refuses the first byte past 10 MB, naming the file, and keeps nothing (not even the files before it)', async () => {
    const before = await snapshot(tenant.id);
    const res = await upload(alice, [text('fine.txt'), big('huge.csv', 10 * MB + 1)]);
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('FILE_TOO_LARGE');
    expect(res.json.error?.message).toContain('huge.csv');
    expect(res.json.error?.message).toContain('10 MB');
    await expectNothingLeft(tenant.id, before);
  });

  it('refuses a body without a Content-Length, a flood of tiny parts and unexpected fields', async () => {
    const before = await snapshot(tenant.id);
    const chunked = await upload(alice, [text('a.txt')], { chunked: true });
    expect([chunked.status, chunked.json.error?.code]).toEqual([411, 'LENGTH_REQUIRED']);

    const flood = await upload(
      alice,
      Array.from({ length: 1000 }, (_, i) => text(`t${i}.txt`, 'x')),
    );
    expect([flood.status, flood.json.error?.code]).toEqual([413, 'TOO_MANY_FILES']);
    const fields = await upload(
      alice,
      Array.from({ length: 1000 }, (_, i) => ({ field: `f${i}`, content: Buffer.from('x') })),
    );
    expect([fields.status, fields.json.error?.code]).toEqual([400, 'UPLOAD_INVALID']);
    const extra = await upload(alice, [text('a.txt'), { field: 'ticketId', content: Buffer.from(aliceTicket.id) }]);
    expect([extra.status, extra.json.error?.code]).toEqual([400, 'UPLOAD_INVALID']);
    expect(extra.json.error?.message).toContain('ticketId');
    // A body that ends inside a file (no closing boundary) is the client's fault, not ours.
    const truncated = await fetch(`${base(alice)}/uploads`, {
      method: 'POST',
      headers: { cookie: cookies.get(alice.id)!, 'sec-fetch-site': 'same-origin', 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello, this never ends',
    });
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_INVALID');
    const none = await upload(alice, []);
    expect(none.status).toBe(400);
    const notMultipart = await fetch(`${base(alice)}/uploads`, {
      method: 'POST',
      headers: { cookie: cookies.get(alice.id)!, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
    await expectNothingLeft(tenant.id, before);
  });

  it('leaves no object and no row when the upload is cut off mid-way', async () => {
    const before = await snapshot(tenant.id);
    const res = await upload(alice, [text('first.txt'), big('second.csv', 5 * MB)], { abortAfterBytes: 2 * MB });
    expect(res.status).toBe(0);
    // The server notices the lost connection on its own time.
    for (let i = 0; i < 50 && (await rowsOf(tenant.id)) !== before.rows; i++) await new Promise((r) => setTimeout(r, 50));
    await expectNothingLeft(tenant.id, before);
  });

  describe('hostile files', () => {
    const refused = async (parts: PartSpec[], status: number, code: string, name: string) => {
      const before = await snapshot(tenant.id);
      const res = await upload(alice, parts);
      expect([res.status, res.json.error?.code], JSON.stringify(res.json)).toEqual([status, code]);
      expect(res.json.error?.message).toContain(name);
      await expectNothingLeft(tenant.id, before);
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

    it('never serves a GIF/JS polyglot as it came: refused, or re-encoded without the script', async () => {
      const res = await upload(alice, [file('funny.gif', polyglotGifJs())]);
      if (res.status !== 201) {
        expect(res.json.error?.code).toBe('IMAGE_INVALID');
        return;
      }
      await drainWorker();
      const served = await get(alice, `/files/${res.json.files![0]!.id}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).includes(POLYGLOT_SCRIPT)).toBe(false);
    });

    it('keeps only a clean display name: no path, no bidi override, no control characters', async () => {
      const [traversal, rtl, controls] = ok(
        await upload(alice, [text('../../etc/passwd.txt'), text('report\u202Efdp.txt'), text('a\u0007b\u200Bc\u009B.csv')]),
      );
      expect(traversal!.name).toBe('passwd.txt');
      expect(rtl!.name).toBe('reportfdp.txt');
      expect(controls!.name).toBe('abc.csv');
      expect(objectsOf(tenant.id).some((key) => key.includes('passwd') || key.includes('..'))).toBe(false);
      // An executable hiding behind a right-to-left override is still an executable.
      const res = await upload(alice, [file('invoice\u202Egpj.exe', windowsExecutable())]);
      expect(res.json.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
      const res2 = await get(alice, `/files/${rtl!.id}`);
      expect(res2.headers.get('content-disposition')).toBe(`attachment; filename="reportfdp.txt"; filename*=UTF-8''reportfdp.txt`);
    });
  });

  describe('attaching and access', () => {
    it('attaches uploads to a new ticket and a reply; the ticket shows them', async () => {
      const [photo, pdf] = ok(await upload(alice, [file('boiler.png', await pngOf(800, 600)), text('manual.txt', 'Model X\n')]));
      const created = await post(alice, '/tickets', { title: 'Boiler', description: 'See photo', fileIds: [photo!.id] });
      expect(created.status).toBe(201);
      const detail = (await created.json()) as { ticket: { id: string }; messages: { attachments: { id: string; name: string }[] }[] };
      expect(detail.messages[0]!.attachments.map((a) => a.name)).toEqual(['boiler.png']);
      const reply = await post(alice, `/tickets/${detail.ticket.id}/messages`, { body: '', fileIds: [pdf!.id] });
      expect(reply.status).toBe(201);
      expect(((await reply.json()) as { message: { attachments: { id: string }[] } }).message.attachments.map((a) => a.id)).toEqual([
        pdf!.id,
      ]);
      // Once attached, an id cannot be attached again.
      const again = await post(alice, `/tickets/${detail.ticket.id}/messages`, { body: 'again', fileIds: [pdf!.id] });
      expect([again.status, ((await again.json()) as { error: { code: string } }).error.code]).toEqual([404, 'FILE_NOT_FOUND']);
      // Bob shares Alice's client: he sees the ticket, so he may download its files.
      expect((await get(bob, `/files/${pdf!.id}`)).status).toBe(200);
      // An empty reply without files is still refused.
      expect((await post(alice, `/tickets/${detail.ticket.id}/messages`, { body: ' ', fileIds: [] })).status).toBe(400);
    });

    it('answers 404 for another contact’s upload, another client’s file, another tenant’s file and an internal note’s file', async () => {
      const [alicesUpload] = ok(await upload(alice, [text('mine.txt')]));
      const [yarasFile] = ok(await upload(yara, [text('yara.txt')]));
      expect((await post(yara, `/tickets/${yaraTicket.id}/messages`, { body: 'here', fileIds: [yarasFile!.id] })).status).toBe(201);
      const [strangersFile] = ok(await upload(stranger, [text('elsewhere.txt')]));

      // Downloads.
      expect((await get(bob, `/files/${alicesUpload!.id}`)).status).toBe(404); // not attached: only Alice
      expect((await get(alice, `/files/${yarasFile!.id}`)).status).toBe(404); // another client's ticket
      expect((await get(alice, `/files/${strangersFile!.id}`)).status).toBe(404); // another tenant
      expect((await get(stranger, `/files/${yarasFile!.id}`)).status).toBe(404);
      // Attaching.
      for (const [who, id] of [
        [bob, alicesUpload!.id],
        [alice, yarasFile!.id],
        [alice, strangersFile!.id],
      ] as const) {
        const res = await post(who, `/tickets/${aliceTicket.id}/messages`, { body: 'x', fileIds: [id] });
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FILE_NOT_FOUND');
      }
      // A file on an internal note is as invisible as the note.
      const [noteFile] = ok(await upload(alice, [text('note.txt')]));
      const scope = forTenant(t.deps.db, tenant.id);
      const member = await addTeamMember(t.deps, tenant.id, { email: `agent${serial}@harbor.example.com`, name: 'Sam', role: 'agent' });
      const note = await appendMessage(scope, t.clock, {
        ticketId: aliceTicket.id,
        author: { kind: 'team_member', id: member.id },
        body: 'internal',
        visibility: 'internal',
        via: 'app',
      });
      await scope
        .updateTable('file')
        .set({ ticket_id: aliceTicket.id, message_id: note.id, attached_at: '2026-11-24T09:00:00.000Z' })
        .where('file.id', '=', noteFile!.id)
        .execute();
      expect((await get(alice, `/files/${noteFile!.id}`)).status).toBe(404);
      expect((await get(alice, `/files/no-such-id`)).status).toBe(404);
      expect((await fetch(`${base(alice)}/files/${alicesUpload!.id}`)).status).toBe(401);
    });
  });

  it('deletes uploads never attached after 24 hours, and keeps attached ones', async () => {
    const [kept, dropped] = ok(await upload(alice, [text('kept.txt'), text('dropped.txt')]));
    expect((await post(alice, `/tickets/${aliceTicket.id}/messages`, { body: 'file', fileIds: [kept!.id] })).status).toBe(201);
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const objectsBefore = objectsOf(tenant.id).length;
    const { sweepAbandonedFiles } = await import('../../src/features/attachments/file.service.js');
    expect(await sweepAbandonedFiles(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await get(alice, `/files/${dropped!.id}`)).status).toBe(404);
    expect((await get(alice, `/files/${kept!.id}`)).status).toBe(200);
    expect(objectsOf(tenant.id).length).toBeLessThan(objectsBefore);
    expect(objectsOf(tenant.id).some((key) => key.startsWith(dropped!.id))).toBe(false);
  });

  it('sets, serves, replaces and removes a profile photo (raster only, at most 512×512, no metadata)', async () => {
    const put = (parts: PartSpec[]) => sendMultipart(`${base(bob)}/me/photo`, parts, { method: 'PUT', cookie: cookies.get(bob.id)! });
    const first = await put([{ field: 'photo', filename: 'me.jpg', content: await jpegWithGps() }]);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const photoId = first.json.photoFileId as string;
    const me = (await (await get(bob, '/me')).json()) as { contact: { photoFileId: string } };
    expect(me.contact.photoFileId).toBe(photoId);
    const served = await get(bob, `/files/${photoId}`);
    expect(served.headers.get('content-disposition')).toMatch(/^inline; /);
    const bytes = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width <= 512, meta.width === meta.height]).toEqual(['jpeg', true, true]);
    expect(await hasGpsOrExif(bytes)).toBe(false);
    // Someone else's photo is not theirs to fetch.
    expect((await get(alice, `/files/${photoId}`)).status).toBe(404);

    expect((await put([{ field: 'photo', filename: 'me.svg', content: svgWithScript() }])).json.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect((await put([{ field: 'photo', filename: 'me.pdf', content: Buffer.from('%PDF-1.4\n') }])).json.error?.code).toBe(
      'FILE_TYPE_NOT_ALLOWED',
    );
    const second = await put([{ field: 'photo', filename: 'new.png', content: await pngOf(1200, 900) }]);
    expect(second.status).toBe(200);
    expect((await get(bob, `/files/${photoId}`)).status).toBe(404); // the replaced photo is gone
    const removed = await fetch(`${base(bob)}/me/photo`, {
      method: 'DELETE',
      headers: { cookie: cookies.get(bob.id)!, 'sec-fetch-site': 'same-origin' },
    });
    expect(removed.status).toBe(200);
    expect((await get(bob, `/files/${second.json.photoFileId as string}`)).status).toBe(404);
  });
});
