import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import { getClient } from '../clients/client.service.js';
import { listContactAuthorsOfTicket } from '../messages/message.service.js';
import { getTicket } from '../tickets/ticket.service.js';
import { COMBINE_WINDOW_MS } from './customer-activity.job.js';
import { CUSTOMER_UPDATE_JOB, type TCustomerUpdateJob } from './customer-update.job.js';

/** Who caused a change: its contact is never emailed about it (their own reply, their own close). */
export interface UpdateCause {
  readonly kind: 'contact' | 'team_member' | 'operator' | 'system';
  readonly id: string | null;
}

/**
 * The contacts who hear about a ticket: its requester, and for a client whose contacts see all of
 * its tickets, the contacts who wrote on it (they "follow" it by taking part — no subscription
 * table). Disabled, moved and undeliverable contacts are dropped by the job, which reads them fresh.
 */
async function listTicketFollowers(scope: TenantScope, ticket: { id: string; clientId: string; requesterContactId: string | null }) {
  const ids = new Set<string>();
  if (ticket.requesterContactId) ids.add(ticket.requesterContactId);
  const client = await getClient(scope, ticket.clientId);
  if (client.ticketVisibility === 'all') for (const id of await listContactAuthorsOfTicket(scope, ticket.id)) ids.add(id);
  return [...ids];
}

async function queueFor(scope: TenantScope, clock: Clock, ticketId: string, contactIds: readonly string[]): Promise<number> {
  const now = clock.now();
  const minute = Math.floor(now.getTime() / COMBINE_WINDOW_MS);
  let queued = 0;
  for (const contactId of contactIds) {
    const payload: TCustomerUpdateJob = { tenantId: scope.tenantId, ticketId, contactId, at: now.toISOString() };
    const id = await enqueueJob(scope, clock, {
      kind: CUSTOMER_UPDATE_JOB,
      payload,
      tenantId: scope.tenantId,
      runAt: new Date(now.getTime() + COMBINE_WINDOW_MS),
      // One job per (ticket, contact) and clock minute: more changes in that minute join its email.
      dedupeKey: `customer-update:${ticketId}:${contactId}:${minute}`,
    });
    if (id !== undefined) queued += 1;
  }
  return queued;
}

/**
 * Queues the emails that tell a ticket's customers about a change the team made (a public reply,
 * a status, a visit), inside the caller's transaction (ARCHITECTURE.md §4.8). Each job is due a
 * minute later and mails everything that happened since that contact's last email, so several
 * changes in a minute make one email. The job decides what is worth telling (a priority or an
 * assignee is not); calling this for any change is safe. Returns how many jobs were queued.
 * @throws TICKET_NOT_FOUND
 */
export async function queueCustomerUpdates(scope: TenantScope, clock: Clock, ticketId: string, cause: UpdateCause): Promise<number> {
  const ticket = await getTicket(scope, ticketId);
  const followers = await listTicketFollowers(scope, ticket);
  return queueFor(
    scope,
    clock,
    ticket.id,
    followers.filter((id) => !(cause.kind === 'contact' && cause.id === id)),
  );
}

/**
 * Queues the "we received your request" email to the contact who submitted a ticket in the portal,
 * in the submission's transaction; the job finds the ticket's `created` event and says so.
 * @throws TICKET_NOT_FOUND
 */
export async function queueRequestReceivedEmail(scope: TenantScope, clock: Clock, ticketId: string): Promise<number> {
  const ticket = await getTicket(scope, ticketId);
  return ticket.requesterContactId ? queueFor(scope, clock, ticket.id, [ticket.requesterContactId]) : 0;
}
