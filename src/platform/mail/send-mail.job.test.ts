import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { findJob } from '../jobs/outbox.repository.js';
import { OutboxWorker } from '../jobs/worker.js';
import { DevMailboxMailer } from './dev-mailbox-mailer.js';
import { listDevMail } from './dev-mailbox.service.js';
import type { OutgoingMail } from './mailer.js';
import { createSendMailHandler, enqueueMail, MAIL_SEND_JOB } from './send-mail.job.js';

const JOB_INFO = { id: 'job-1', kind: MAIL_SEND_JOB, tenantId: null, attempt: 1 };
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: { name: 'Acme', address: 'no-reply@example.com' },
    to: 'ann@example.com',
    subject: 'Hello',
    text: 'Hi',
    html: '<p>Hi</p>',
    headers: { 'X-Ticket': 'T-1' },
    ...overrides,
  };
}

describeEachDialect('mail.send job', (get) => {
  it('stores the message as the payload of a mail.send job, with its tenant and dedupe key', async () => {
    const { db } = get();
    // Far in the future, so the worker of the next test never finds this job due.
    const clock = new ManualClock('2300-01-01T00:00:00.000Z');
    const id = await enqueueMail(db, clock, mail(), { dedupeKey: 'test:store' });
    const job = await findJob(db, id ?? '');
    expect(job).toMatchObject({ kind: 'mail.send', tenantId: null, dedupeKey: 'test:store', status: 'pending' });
    expect(JSON.parse(job?.payload ?? '')).toEqual(mail());
    expect(await enqueueMail(db, clock, mail(), { dedupeKey: 'test:store' })).toBeUndefined();
  });

  it('refuses a malformed message at enqueue time', async () => {
    const { db } = get();
    const clock = new ManualClock();
    const bad: OutgoingMail[] = [
      mail({ to: 'ann@example.com, eve@evil.com' }),
      mail({ replyTo: 'Eve <eve@evil.com>' }),
      mail({ from: { address: 'not an address' } }),
      mail({ subject: '' }),
      mail({ headers: { 'X Bad': '1' } }),
      { ...mail(), cc: 'eve@evil.com' } as OutgoingMail,
    ];
    for (const message of bad) await expect(enqueueMail(db, clock, message)).rejects.toThrow(ZodError);
  });

  it('runs through the worker and lands in the dev mailbox', async () => {
    const { db } = get();
    const clock = new ManualClock('2026-11-24T10:00:00.000Z');
    const mailer = new DevMailboxMailer(db, { clock });
    const worker = new OutboxWorker({ db, clock, handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) }, logger: quietLogger });
    const id = await enqueueMail(db, clock, mail({ to: 'worker@example.com' }));

    expect(await worker.runOnce()).toBe(1);
    expect(await findJob(db, id ?? '')).toMatchObject({ status: 'done', attempts: 1 });
    const [stored] = await listDevMail(db, { limit: 1, to: 'worker@example.com' });
    expect(stored).toMatchObject({ subject: 'Hello', headers: { 'X-Ticket': 'T-1', 'Auto-Submitted': 'auto-generated' } });
  });
});

describe('createSendMailHandler', () => {
  it('throws on a malformed payload instead of sending anything', async () => {
    const sent: OutgoingMail[] = [];
    const handler = createSendMailHandler({
      transport: 'dev-mailbox',
      send: async (m) => {
        sent.push(m);
        return { messageId: '<x@y>' };
      },
      close: async () => undefined,
    });
    for (const payload of [null, 'text', {}, { ...mail(), to: ['a@example.com', 'b@example.com'] }, { ...mail(), bcc: 'eve@evil.com' }]) {
      await expect(handler(payload, JOB_INFO)).rejects.toThrow(ZodError);
    }
    expect(sent).toEqual([]);
    await handler(JSON.parse(JSON.stringify(mail())) as unknown, JOB_INFO);
    expect(sent).toEqual([mail()]);
  });
});
