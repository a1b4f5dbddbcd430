import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  acceptInboundMail,
  findInboundMessage,
  INBOUND_PROCESS_JOB,
  messageIdOf,
} from '../../src/features/inbound-mail/inbound-mail.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { ManualClock } from '../../src/platform/clock.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { LocalFileStore } from '../../src/platform/storage/local-file-store.js';
import { createTenantGraph } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/test-database.js';

const SECRET = 'an-inbound-test-secret-of-32-characters!';
const DOMAIN = 'reply.example.com';

function mail(messageId: string | null, body = 'Thanks, Tuesday works.'): Buffer {
  const id = messageId ? `Message-ID: ${messageId}\r\n` : '';
  return Buffer.from(`From: Dana <dana@example.com>\r\nSubject: Re: [#1]\r\n${id}\r\n${body}\r\n`);
}

/** The pipeline's front door: what both inbound doors call once they hold a message. */
describeEachDialect('inbound mail: accepting', (getDb) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'servelo-inbound-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the raw message and its processing job per routable recipient, once per Message-ID, and names the rest unroutable', async () => {
    const ctx = { db: getDb().db, clock: new ManualClock('2026-12-06T10:00:00Z') };
    const files = new LocalFileStore(dir);
    const deps = { ...ctx, files, inboundDomain: DOMAIN };
    const a = await createTenantGraph(ctx);
    const b = await createTenantGraph(ctx);
    const toA = await ensureReplyAddress(forTenant(ctx.db, a.tenant.id), ctx.clock, SECRET, DOMAIN, {
      ticketId: a.ticket.id,
      memberId: a.member.id,
    });
    const toB = await ensureReplyAddress(forTenant(ctx.db, b.tenant.id), ctx.clock, SECRET, DOMAIN, {
      ticketId: b.ticket.id,
      contactId: b.contact.id,
    });
    const forged = toA.replace(/reply\+.{4}/, 'reply+AAAA');
    const raw = mail('<one@mail.example.com>');

    const first = await acceptInboundMail(deps, {
      raw,
      door: 'smtp',
      envelope: { from: 'dana@example.com', to: [toA, toB, forged, `someone@${DOMAIN}`, toA] },
      authentication: { source: 'mailauth', dmarc: 'pass', fromDomain: 'example.com', spf: 'pass', dkim: 'pass' },
    });
    expect(first).toMatchObject({ accepted: 2, duplicates: 0, unroutable: [forged, `someone@${DOMAIN}`] });

    const [idA, idB] = first.ids as [string, string];
    const storedA = await findInboundMessage(forTenant(ctx.db, a.tenant.id), idA);
    expect(storedA).toMatchObject({
      ticketId: a.ticket.id,
      door: 'smtp',
      status: 'received',
      messageId: '<one@mail.example.com>',
      size: raw.length,
    });
    expect(storedA?.authentication).toEqual({ source: 'mailauth', dmarc: 'pass', fromDomain: 'example.com', spf: 'pass', dkim: 'pass' });
    const object = await files.get(storedA!.rawKey);
    const chunks: Buffer[] = [];
    for await (const chunk of object!.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(raw)).toBe(true);
    // Each row lives in its own tenant only.
    expect(await findInboundMessage(forTenant(ctx.db, a.tenant.id), idB)).toBeUndefined();
    expect((await findInboundMessage(forTenant(ctx.db, b.tenant.id), idB))?.ticketId).toBe(b.ticket.id);

    const jobs = (await listJobs(ctx.db, { kind: INBOUND_PROCESS_JOB })).filter((j) =>
      [a.tenant.id, b.tenant.id].includes(j.tenantId ?? ''),
    );
    const payloads = jobs.map((j) => JSON.parse(String(j.payload)) as { tenantId: string; inboundMessageId: string });
    expect(payloads.map((p) => `${p.tenantId}:${p.inboundMessageId}`).sort()).toEqual(
      [`${a.tenant.id}:${idA}`, `${b.tenant.id}:${idB}`].sort(),
    );

    // The same mail delivered again is accepted as a duplicate: no new row, no new job.
    const again = await acceptInboundMail(deps, { raw, door: 'webhook', envelope: { from: null, to: [toA] }, authentication: null });
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, unroutable: [] });
    expect((await listJobs(ctx.db, { kind: INBOUND_PROCESS_JOB })).filter((j) => j.tenantId === a.tenant.id)).toHaveLength(1);
  });

  it('knows a message without a Message-ID by the hash of its bytes', () => {
    expect(messageIdOf(mail('<x@y>'))).toBe('<x@y>');
    expect(messageIdOf(Buffer.from('Message-ID:\r\n  <folded@y>\r\n\r\nbody'))).toBe('<folded@y>');
    const anonymous = messageIdOf(mail(null));
    expect(anonymous).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(messageIdOf(mail(null))).toBe(anonymous);
    expect(messageIdOf(mail(null, 'Something else'))).not.toBe(anonymous);
  });
});
