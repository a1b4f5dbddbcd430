import { type AddressObject, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../../../test/helpers/smtp-sink.js';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { findJob } from '../jobs/outbox.repository.js';
import { OutboxWorker } from '../jobs/worker.js';
import type { OutgoingMail } from './mailer.js';
import { createSendMailHandler, enqueueMail, MAIL_SEND_JOB } from './send-mail.job.js';
import { SmtpMailer } from './smtp-mailer.js';

function addresses(field: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
    group.value.map((a) => ({ name: a.name, address: a.address })),
  );
}

const LINK = 'https://portal.example.com/portal/acme/auth/confirm#token=abc';

function hostileMail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: { name: 'Acme\r\nBcc: x@evil.com', address: 'no-reply@example.com' },
    to: 'ann@example.com',
    replyTo: 'reply+t0k3n@example.com',
    subject: 'Your link\r\nBcc: y@evil.com\u2028X-Injected: yes',
    text: `Sign in: ${LINK}\n`,
    html: `<p><a href="${LINK}">Sign in</a></p>`,
    headers: { 'X-Ticket': 'T-42\r\nCc: z@evil.com' },
    ...overrides,
  };
}

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('SmtpMailer', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const sink = await startSmtpSink();
    const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${sink.port}` });
    cleanups.push(sink.close, () => mailer.close());
    return { sink, mailer };
  }

  it('sends one structured message: sanitised From name and Subject, one recipient, Reply-To, Auto-Submitted, both parts', async () => {
    const { sink, mailer } = await setUp();
    const { messageId } = await mailer.send(hostileMail());

    expect(sink.received).toHaveLength(1);
    const [message] = sink.received;
    if (!message) throw new Error('no message');
    expect(message.rcptTo).toEqual(['ann@example.com']);
    expect(message.mailFrom).toBe('no-reply@example.com');

    const raw = message.raw.toString('utf8');
    // No header line was injected: the hostile parts stayed inside their own (encoded) header.
    expect(raw).not.toMatch(/^(Bcc|Cc|X-Injected):/im);
    const parsed = await simpleParser(message.raw);
    expect(addresses(parsed.from)).toEqual([{ name: 'Acme Bcc: x@evil.com', address: 'no-reply@example.com' }]);
    expect(addresses(parsed.to)).toEqual([{ name: '', address: 'ann@example.com' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: '', address: 'reply+t0k3n@example.com' }]);
    expect(parsed.cc).toBeUndefined();
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Your link Bcc: y@evil.com X-Injected: yes');
    expect(parsed.headers.has('x-injected')).toBe(false);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-ticket')).toBe('T-42 Cc: z@evil.com');
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.text).toContain(LINK);
    expect(parsed.html).toContain(`href="${LINK}"`);
  });

  it("keeps the caller's threading headers and its own Auto-Submitted", async () => {
    const { sink, mailer } = await setUp();
    const headers = { 'Message-ID': '<t-1.m-2@example.com>', 'In-Reply-To': '<t-1@example.com>', 'Auto-Submitted': 'auto-replied' };
    const { messageId } = await mailer.send(hostileMail({ headers }));
    const parsed = await simpleParser(sink.received[0]?.raw ?? '');
    expect(messageId).toBe('<t-1.m-2@example.com>');
    expect(parsed.messageId).toBe('<t-1.m-2@example.com>');
    expect(parsed.inReplyTo).toBe('<t-1@example.com>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('refuses, before connecting, a recipient that is not exactly one plain address', async () => {
    const { sink, mailer } = await setUp();
    for (const to of ['ann@example.com, eve@evil.com', 'Ann <ann@example.com>', 'ann@example.com\r\nBcc: eve@evil.com']) {
      await expect(mailer.send(hostileMail({ to }))).rejects.toThrow(/exactly one plain address/);
    }
    await expect(mailer.send(hostileMail({ headers: { Bcc: 'eve@evil.com' } }))).rejects.toThrow(/own field/);
    expect(sink.received).toHaveLength(0);
  });

  it('sends many messages over a few kept connections, and carries on after the relay restarts', async () => {
    const { sink, mailer } = await setUp();
    const to = (n: number) => hostileMail({ to: `customer-${n}@example.com` });
    await Promise.all(Array.from({ length: 40 }, (_, n) => mailer.send(to(n))));
    expect(sink.received).toHaveLength(40);
    // Five connections at most (the pool), not one per message.
    expect(sink.connections()).toBeLessThanOrEqual(5);

    // The relay restarts on the same port: the kept connections are gone, and sending goes on.
    await sink.close();
    const again = await startSmtpSink(sink.port);
    cleanups.push(again.close);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(Array.from({ length: 5 }, (_, n) => mailer.send(to(100 + n))));
    expect(again.received.map((m) => m.rcptTo[0]).sort()).toEqual([100, 101, 102, 103, 104].map((n) => `customer-${n}@example.com`));
  });

  it('sends attachments under a plain file name, and refuses kinds and sizes mail is not for', async () => {
    const { sink, mailer } = await setUp();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 7)]);
    await mailer.send(
      hostileMail({ attachments: [{ filename: '../../etc/Quote Q-12 v2\r\n.pdf', contentType: 'application/pdf', content: pdf }] }),
    );
    const parsed = await simpleParser(sink.received[0]?.raw ?? '');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(pdf)])).toEqual([
      ['Quote Q-12 v2 .pdf', 'application/pdf', true],
    ]);

    const html = { filename: 'x.html', contentType: 'text/html' as never, content: Buffer.from('<script>') };
    await expect(mailer.send(hostileMail({ attachments: [html] }))).rejects.toThrow(/not one we send/);
    const huge = { filename: 'big.pdf', contentType: 'application/pdf' as const, content: Buffer.alloc(10 * 1024 * 1024 + 1) };
    await expect(mailer.send(hostileMail({ attachments: [huge] }))).rejects.toThrow(/exceed/);
    expect(sink.received).toHaveLength(1);
  });

  it('fails promptly when the relay is unreachable', async () => {
    const sink = await startSmtpSink();
    await sink.close();
    const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${sink.port}` });
    cleanups.push(() => mailer.close());
    await expect(mailer.send(hostileMail())).rejects.toThrow(/ECONNREFUSED|connect/i);
  });
});

describeEachDialect('mail.send through the outbox', (get) => {
  it('keeps the job while the relay is down and delivers it exactly once when it is back', async () => {
    const { db } = get();
    const clock = new ManualClock('2026-11-24T09:00:00.000Z');
    const first = await startSmtpSink();
    const port = first.port;
    const mailer = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const worker = new OutboxWorker({
      db,
      clock,
      handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) },
      logger: quietLogger,
      backoff: { baseMs: 60_000, maxMs: 3_600_000 },
    });
    const id = await enqueueMail(db, clock, hostileMail(), { dedupeKey: 'test:relay-down' });
    if (!id) throw new Error('not enqueued');

    // The relay goes away before the worker gets to the job.
    await first.close();
    expect(await worker.runOnce()).toBe(1);
    const failed = await findJob(db, id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lockedBy: null, doneAt: null });
    expect(failed?.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(failed?.runAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await worker.runOnce()).toBe(0);

    // The relay is back on the same port; once the retry is due the message goes out, once.
    const second = await startSmtpSink(port);
    try {
      clock.set(new Date((failed?.runAt.getTime() ?? 0) + 1));
      expect(await worker.runOnce()).toBe(1);
      expect(await worker.runOnce()).toBe(0);
      clock.advance(86_400_000);
      expect(await worker.runOnce()).toBe(0);

      expect(second.received).toHaveLength(1);
      expect(second.received[0]?.rcptTo).toEqual(['ann@example.com']);
      const parsed = await simpleParser(second.received[0]?.raw ?? '');
      expect(parsed.subject).toBe('Your link Bcc: y@evil.com X-Injected: yes');
      expect(await findJob(db, id)).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    } finally {
      await second.close();
      await mailer.close();
    }
  });
});
