import { z } from 'zod';

/** One email the outbox gave up on (after about two days of retries), as the organisation's admins see it. */
export const ZUndeliveredMail = z.object({
  id: z.string(),
  /** What the email was: `email` (a message to a customer or member), `team_notification`, `sign_in_link`, `invitation`. */
  kind: z.enum(['email', 'team_notification', 'sign_in_link', 'invitation']),
  /** The recipient address when the job names one; team notifications name a member, not an address. */
  to: z.string().nullable(),
  subject: z.string().nullable(),
  /** ISO-8601 UTC: when it was queued and when the last attempt failed. */
  queuedAt: z.string(),
  failedAt: z.string(),
  attempts: z.number().int(),
  /** The relay's last answer, e.g. `connect ECONNREFUSED` or `550 mailbox unavailable`. */
  lastError: z.string().nullable(),
});
export type TUndeliveredMail = z.infer<typeof ZUndeliveredMail>;

export const ZUndeliveredMailList = z.object({ mails: z.array(ZUndeliveredMail) });

export const ZRetryUndeliveredMail = z.strictObject({
  /** Ids to send again; omitted: every undelivered email of the organisation. */
  ids: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
});

export const ZRetryUndeliveredMailResult = z.object({ requeued: z.number().int() });
