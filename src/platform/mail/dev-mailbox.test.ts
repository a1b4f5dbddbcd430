import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { AppError } from '../errors.js';
import { DevMailboxMailer } from './dev-mailbox-mailer.js';
import { clearDevMail, findDevMail, getDevMail, listDevMail } from './dev-mailbox.service.js';
import type { OutgoingMail } from './mailer.js';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: { name: 'Acme\r\nBcc: x@evil.com', address: 'no-reply@example.com' },
    to: 'ann@example.com',
    subject: 'Your link\u2028X-Injected: yes',
    text: 'Sign in: https://portal.example.com/portal/acme#token=abc',
    html: '<p>Sign in</p>',
    ...overrides,
  };
}

describeEachDialect('dev mailbox', (get) => {
  beforeEach(async () => {
    await clearDevMail(get().db);
  });

  it('stores a message as SMTP would send it: sanitised, with Auto-Submitted and a dev-mailbox Message-ID', async () => {
    const { db } = get();
    const clock = new ManualClock('2026-11-24T09:00:00.000Z');
    const mailer = new DevMailboxMailer(db, { clock });
    expect(mailer.transport).toBe('dev-mailbox');

    const { messageId } = await mailer.send(mail({ replyTo: 'reply+tok@example.com', headers: { 'X-Ticket': 'T-1\r\nBcc: y@evil.com' } }));
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@dev-mailbox>$/);

    const [stored] = await listDevMail(db, { limit: 10 });
    expect(stored).toEqual({
      id: messageId.slice(1, 37),
      createdAt: new Date('2026-11-24T09:00:00.000Z'),
      from: { name: 'Acme Bcc: x@evil.com', address: 'no-reply@example.com' },
      to: 'ann@example.com',
      replyTo: 'reply+tok@example.com',
      subject: 'Your link X-Injected: yes',
      text: 'Sign in: https://portal.example.com/portal/acme#token=abc',
      html: '<p>Sign in</p>',
      headers: { 'Message-ID': messageId, 'X-Ticket': 'T-1 Bcc: y@evil.com', 'Auto-Submitted': 'auto-generated' },
      attachments: [],
    });
    expect(await getDevMail(db, stored?.id ?? '')).toEqual(stored);
  });

  it('keeps the attachments, byte for byte, under their plain names', async () => {
    const { db } = get();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024, 3)]);
    await new DevMailboxMailer(db).send(
      mail({ attachments: [{ filename: 'dir/Quote Q-1.pdf', contentType: 'application/pdf', content: pdf }] }),
    );
    const [stored] = await listDevMail(db, { limit: 1 });
    expect(stored?.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([
      ['Quote Q-1.pdf', 'application/pdf', true],
    ]);
  });

  it("keeps a caller's Message-ID and a sender without a display name", async () => {
    const { db } = get();
    const mailer = new DevMailboxMailer(db);
    const { messageId } = await mailer.send(
      mail({ from: { address: 'no-reply@example.com' }, headers: { 'Message-ID': '<t-1@example.com>' } }),
    );
    expect(messageId).toBe('<t-1@example.com>');
    const [stored] = await listDevMail(db, { limit: 1 });
    expect(stored?.from).toEqual({ name: null, address: 'no-reply@example.com' });
    expect(stored?.headers).toEqual({ 'Message-ID': '<t-1@example.com>', 'Auto-Submitted': 'auto-generated' });
  });

  it('refuses what SMTP would refuse, and stores nothing', async () => {
    const { db } = get();
    const mailer = new DevMailboxMailer(db);
    await expect(mailer.send(mail({ to: 'ann@example.com, eve@evil.com' }))).rejects.toThrow(/exactly one plain address/);
    await expect(mailer.send(mail({ headers: { Cc: 'eve@evil.com' } }))).rejects.toThrow(/own field/);
    expect(await listDevMail(db, { limit: 10 })).toEqual([]);
  });

  it('lists newest first, filters by recipient case-insensitively, and limits', async () => {
    const { db } = get();
    const clock = new ManualClock('2026-11-24T09:00:00.000Z');
    const mailer = new DevMailboxMailer(db, { clock });
    for (const [index, to] of ['ann@example.com', 'bob@example.com', 'Ann@Example.com', 'ann@example.com'].entries()) {
      await mailer.send(mail({ to, subject: `message ${index}` }));
      clock.advance(1000);
    }
    expect((await listDevMail(db, { limit: 10 })).map((m) => m.subject)).toEqual(['message 3', 'message 2', 'message 1', 'message 0']);
    expect((await listDevMail(db, { limit: 10, to: 'ANN@example.com' })).map((m) => m.subject)).toEqual([
      'message 3',
      'message 2',
      'message 0',
    ]);
    expect((await listDevMail(db, { limit: 2 })).map((m) => m.subject)).toEqual(['message 3', 'message 2']);
    expect(await listDevMail(db, { limit: 10, to: 'nobody@example.com' })).toEqual([]);
  });

  it('keeps only the newest messages (cap lowered to 5 here; 500 by default)', async () => {
    const { db } = get();
    const clock = new ManualClock('2026-11-24T09:00:00.000Z');
    const mailer = new DevMailboxMailer(db, { clock, keep: 5 });
    for (let index = 0; index < 8; index += 1) {
      await mailer.send(mail({ subject: `message ${index}` }));
      // Several in the same millisecond too: the id breaks the tie in creation order.
      if (index % 2 === 1) clock.advance(1);
    }
    const kept = await listDevMail(db, { limit: 100 });
    expect(kept.map((m) => m.subject)).toEqual(['message 7', 'message 6', 'message 5', 'message 4', 'message 3']);
    expect(() => new DevMailboxMailer(db, { keep: 0 })).toThrow(RangeError);
  });

  it('finds nothing for unknown or malformed ids, and getDevMail says NOT_FOUND', async () => {
    const { db } = get();
    expect(await findDevMail(db, '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBeUndefined();
    expect(await findDevMail(db, "x' OR 1=1 --")).toBeUndefined();
    await expect(getDevMail(db, 'nope')).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'NOT_FOUND');
  });

  it('clears the mailbox', async () => {
    const { db } = get();
    const mailer = new DevMailboxMailer(db);
    await mailer.send(mail());
    await mailer.send(mail());
    expect(await clearDevMail(db)).toBe(2);
    expect(await listDevMail(db, { limit: 10 })).toEqual([]);
  });
});
