import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { ManualClock } from '../clock.js';
import { findJob, requeueDeadJobs } from '../jobs/outbox.repository.js';
import { OutboxWorker } from '../jobs/worker.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { createSendMailHandler, enqueueMail, MAIL_MAX_ATTEMPTS, MAIL_SEND_JOB } from './send-mail.job.js';

const HOUR = 3_600_000;
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The relay across the process boundary: refuses every message while it is down. */
function relay() {
  const delivered: string[] = [];
  const state = { down: true };
  const mailer: Mailer = {
    transport: 'smtp',
    send: async (mail: OutgoingMail) => {
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      delivered.push(mail.subject);
      return { messageId: `<${delivered.length}@relay>` };
    },
    close: async () => undefined,
  };
  return { mailer, delivered, state };
}

function mail(subject: string): OutgoingMail {
  return { from: { name: 'Acme', address: 'no-reply@example.com' }, to: 'ann@example.com', subject, text: 'Hi', html: '<p>Hi</p>' };
}

describeEachDialect('mail through a relay outage', (get) => {
  /** Runs the worker each time the job is due until it is no longer pending; the clock follows. */
  async function runUntilSettled(worker: OutboxWorker, clock: ManualClock, id: string, until?: (elapsedMs: number) => void) {
    const started = clock.now().getTime();
    for (let i = 0; i < MAIL_MAX_ATTEMPTS + 5; i++) {
      const job = await findJob(get().db, id);
      if (job?.status !== 'pending') return job;
      clock.set(job.runAt);
      until?.(clock.now().getTime() - started);
      await worker.runOnce();
    }
    throw new Error('the job never settled');
  }

  it('keeps a mail through a relay outage of a day and a half and sends it once when the relay is back', async () => {
    const clock = new ManualClock('2100-01-01T00:00:00.000Z');
    const { mailer, delivered, state } = relay();
    const worker = new OutboxWorker({
      db: get().db,
      clock,
      handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) },
      logger: quietLogger,
    });
    const id = (await enqueueMail(get().db, clock, mail('Night outage'))) ?? '';
    const job = await runUntilSettled(worker, clock, id, (elapsed) => {
      if (elapsed >= 36 * HOUR) state.down = false;
    });
    expect(job).toMatchObject({ status: 'done' });
    expect(delivered).toEqual(['Night outage']);
  });

  it('gives up only after about two days, and an operator requeue sends it once', async () => {
    const clock = new ManualClock('2150-01-01T00:00:00.000Z');
    const { mailer, delivered, state } = relay();
    const worker = new OutboxWorker({
      db: get().db,
      clock,
      handlers: { [MAIL_SEND_JOB]: createSendMailHandler(mailer) },
      logger: quietLogger,
    });
    const started = clock.now().getTime();
    const id = (await enqueueMail(get().db, clock, mail('Long outage'))) ?? '';
    const dead = await runUntilSettled(worker, clock, id);
    expect(dead).toMatchObject({ status: 'dead', attempts: MAIL_MAX_ATTEMPTS, lastError: 'connect ECONNREFUSED 127.0.0.1:25' });
    expect(clock.now().getTime() - started).toBeGreaterThan(48 * HOUR);

    state.down = false;
    expect(await requeueDeadJobs(get().db, { now: clock.now(), ids: [id] })).toBe(1);
    expect(await requeueDeadJobs(get().db, { now: clock.now(), ids: [id] })).toBe(0);
    expect(await worker.runOnce()).toBe(1);
    expect(await findJob(get().db, id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(delivered).toEqual(['Long outage']);
  });
});
