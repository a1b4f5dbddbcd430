import { z } from 'zod';
import type { Clock } from '../clock.js';
import { enqueueJob } from '../jobs/enqueue-job.js';
import type { JobHandler } from '../jobs/worker.js';
import { isSingleAddress } from './mail-sanitize.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { HEADER_NAME } from './prepare-mail.js';
import type { ExecutorOrScope } from '../db/tenant-scope.js';

/**
 * The generic outbox job that sends one finished message. Features render the message when the
 * change happens and queue it in the same transaction (ARCHITECTURE.md §4.8); the worker sends it
 * after commit and retries while the relay is unreachable. Delivery is at least once: a worker
 * that dies between the send and marking the job done sends the message again.
 */
export const MAIL_SEND_JOB = 'mail.send';

/**
 * A mail is retried for about two days before it is given up (backoff doubles from 10 s to its
 * 1-hour cap: 9 attempts in the first 1.4 hours, then one an hour): a relay that is down for a
 * night loses nothing. A mail given up stays in the outbox, dead, until an operator requeues it
 * (`servelo outbox retry`).
 */
export const MAIL_MAX_ATTEMPTS = 60;

const ZAddress = z.string().refine(isSingleAddress, { error: 'must be exactly one plain address' });
// Generous bounds: they only stop a runaway payload from filling the outbox.
const MAX_BODY_LENGTH = 1_000_000;

export const ZOutgoingMail = z.strictObject({
  from: z.strictObject({ name: z.string().max(1000).optional(), address: ZAddress }),
  to: ZAddress,
  replyTo: ZAddress.optional(),
  returnPath: ZAddress.optional(),
  subject: z.string().min(1).max(1000),
  text: z.string().max(MAX_BODY_LENGTH),
  html: z.string().max(MAX_BODY_LENGTH),
  headers: z.record(z.string().regex(HEADER_NAME).max(76), z.string().max(4000)).optional(),
});
export type TOutgoingMail = z.infer<typeof ZOutgoingMail>;

export interface EnqueueMailOptions {
  /** The tenant the mail is sent for, carried on the job for logs and operators. */
  readonly tenantId?: string | null;
  /** Makes the enqueue idempotent (see `enqueueJob`). */
  readonly dedupeKey?: string;
}

/**
 * Queues one message for the worker in the caller's transaction; returns the job id, or undefined
 * when `dedupeKey` was used before. Throws a ZodError when the message is malformed, so a bad
 * message fails where it is made rather than in the worker.
 */
export async function enqueueMail(
  db: ExecutorOrScope,
  clock: Clock,
  mail: OutgoingMail,
  options: EnqueueMailOptions = {},
): Promise<string | undefined> {
  const payload = ZOutgoingMail.parse(mail);
  return enqueueJob(db, clock, {
    kind: MAIL_SEND_JOB,
    payload,
    tenantId: options.tenantId ?? null,
    maxAttempts: MAIL_MAX_ATTEMPTS,
    ...(options.dedupeKey !== undefined ? { dedupeKey: options.dedupeKey } : {}),
  });
}

/** The worker's handler for `mail.send`: a malformed payload throws (and the job ends dead after its retries); otherwise it sends. */
export function createSendMailHandler(mailer: Mailer): JobHandler {
  return async (payload) => {
    const mail = ZOutgoingMail.parse(payload);
    await mailer.send(mail);
  };
}
