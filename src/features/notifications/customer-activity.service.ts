import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import { AppError } from '../../platform/errors.js';
import { findMessageOfTicket } from '../messages/message.service.js';
import { getTicket } from '../tickets/ticket.service.js';
import { COMBINE_WINDOW_MS, CUSTOMER_ACTIVITY_JOB, type CustomerActivity, type TCustomerActivityJob } from './customer-activity.job.js';
import { listNotificationRecipients } from './notification-recipients.service.js';

export type { CustomerActivity } from './customer-activity.job.js';

export interface CustomerActivityInput {
  readonly ticketId: string;
  /** The message the customer wrote (the request's description, the reply, the closing message). */
  readonly messageId: string;
  readonly contactId: string;
  readonly activity: CustomerActivity;
}

/**
 * Queues one email per notification recipient about a customer's new ticket, reply or closing,
 * inside the caller's transaction (ARCHITECTURE.md §4.8): the emails go out after commit, or never
 * if it rolls back. Returns how many jobs were queued.
 *
 * Emails about one ticket combine (issue 11: a burst of 300 replies is not 300 emails): the job
 * is due a minute after the message and mails every customer message of the ticket the member has
 * not been emailed about yet. At most one job per (ticket, member) is queued per clock minute (the
 * dedupe key), so a message in a minute that already has one joins that job's email, or the next.
 * @throws TICKET_NOT_FOUND when the ticket is not the scope's tenant's (or the message not the ticket's)
 */
export async function queueCustomerActivityNotifications(scope: TenantScope, clock: Clock, input: CustomerActivityInput): Promise<number> {
  // The outbox is installation-wide, so nothing else here would notice a foreign ticket id.
  const ticket = await getTicket(scope, input.ticketId);
  const message = await findMessageOfTicket(scope, ticket.id, input.messageId);
  if (!message) throw new AppError('TICKET_NOT_FOUND');
  const minute = Math.floor(message.createdAt.getTime() / COMBINE_WINDOW_MS);
  const runAt = new Date(message.createdAt.getTime() + COMBINE_WINDOW_MS);
  const recipients = await listNotificationRecipients(scope);
  let queued = 0;
  for (const member of recipients) {
    // Ids only: the handler reads fresh data and skips members who left in the meantime.
    const payload: TCustomerActivityJob = {
      tenantId: scope.tenantId,
      ticketId: ticket.id,
      messageId: input.messageId,
      contactId: input.contactId,
      activity: input.activity,
      memberId: member.id,
    };
    const id = await enqueueJob(scope, clock, {
      kind: CUSTOMER_ACTIVITY_JOB,
      payload,
      tenantId: scope.tenantId,
      runAt,
      dedupeKey: `notify:${ticket.id}:${member.id}:${minute}`,
    });
    if (id !== undefined) queued += 1;
  }
  return queued;
}
