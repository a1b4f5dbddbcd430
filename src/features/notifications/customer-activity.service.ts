import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import { getTicket } from '../tickets/ticket.service.js';
import { CUSTOMER_ACTIVITY_JOB, type CustomerActivity, type TCustomerActivityJob } from './customer-activity.job.js';
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
 * if it rolls back. Idempotent per (message, recipient); returns how many jobs were queued. Call
 * `wakeWorker()` after the commit to have them sent promptly.
 * @throws TICKET_NOT_FOUND when the ticket is not the scope's tenant's
 */
export async function queueCustomerActivityNotifications(scope: TenantScope, clock: Clock, input: CustomerActivityInput): Promise<number> {
  // The outbox is installation-wide, so nothing else here would notice a foreign ticket id.
  const ticket = await getTicket(scope, input.ticketId);
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
      dedupeKey: `notify:${input.messageId}:${member.id}`,
    });
    if (id !== undefined) queued += 1;
  }
  return queued;
}
