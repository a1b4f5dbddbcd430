import type { AppContext } from '../../platform/context.js';
import type { ActorKind, TicketStatus } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { getClient, getContact } from '../clients/client.service.js';
import { appendMessage, findLastPublicMessageTimes, type Message } from '../messages/message.service.js';
import { allocateTicketNumber } from '../tenants/tenant.service.js';
import { insertTicketEvent, listTicketEvents, type TicketEvent } from './ticket-event.repository.js';
import * as repo from './ticket.repository.js';
import type { Ticket } from './ticket.repository.js';
import { type TCreateTicketRequest, ZCreateTicketRequest } from './ticket.schemas.js';

export type { Ticket } from './ticket.repository.js';
export type { TicketEvent } from './ticket-event.repository.js';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string | null;
}

/**
 * Opens a ticket for a client of the tenant, with the next per-tenant number and, when a body is
 * given, its first public message — all in one transaction.
 * @throws VALIDATION_FAILED, CLIENT_NOT_FOUND, CONTACT_NOT_FOUND (requester not of that client)
 */
export async function createTicket(ctx: AppContext, tenantId: string, input: TCreateTicketRequest, actor: Actor): Promise<Ticket> {
  const data = parseInput(ZCreateTicketRequest, input);
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const client = await getClient(scope, data.clientId);
    if (data.requesterContactId) {
      const contact = await getContact(scope, data.requesterContactId);
      if (contact.clientId !== client.id) throw new AppError('CONTACT_NOT_FOUND');
    }
    const now = ctx.clock.now();
    const number = await allocateTicketNumber(scope.db, tenantId);
    const ticket = await repo.insertTicket(scope, {
      id: newId(now.getTime()),
      clientId: client.id,
      requesterContactId: data.requesterContactId ?? null,
      number,
      title: data.title,
      status: data.status,
      priority: data.priority,
      scheduledAt: data.scheduledAt ? toDbTime(new Date(data.scheduledAt)) : null,
      charge: data.charge ?? null,
      source: data.source,
      now: toDbTime(now),
    });
    await insertTicketEvent(scope, {
      id: newId(now.getTime()),
      ticketId: ticket.id,
      kind: 'created',
      status: ticket.status,
      actorKind: actor.kind,
      actorId: actor.id,
      now: toDbTime(now),
    });
    if (data.body !== undefined && data.body.trim() !== '') {
      const message = await appendMessage(scope, ctx.clock, {
        ticketId: ticket.id,
        author: actor,
        body: data.body,
        visibility: 'public',
        via: data.source,
        at: now,
      });
      await recordTicketMessage(scope, message);
      return getTicket(scope, ticket.id);
    }
    return ticket;
  });
}

/** The ticket, or undefined when the scope's tenant has no such ticket. */
export async function findTicket(scope: TenantScope, ticketId: string): Promise<Ticket | undefined> {
  return repo.findTicketById(scope, ticketId);
}

/** @throws TICKET_NOT_FOUND — for a missing ticket and for another tenant's, alike */
export async function getTicket(scope: TenantScope, ticketId: string): Promise<Ticket> {
  const ticket = await repo.findTicketById(scope, ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/**
 * Moves a ticket to a status; closing stamps closed_at/closed_by, reopening clears them.
 * @throws TICKET_NOT_FOUND
 */
export async function changeTicketStatus(
  ctx: AppContext,
  tenantId: string,
  ticketId: string,
  status: TicketStatus,
  actor: Actor,
): Promise<Ticket> {
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const now = toDbTime(ctx.clock.now());
    const closing = status === 'closed';
    const updated = await repo.updateTicket(scope, ticketId, {
      status,
      updated_at: now,
      last_activity_at: now,
      closed_at: closing ? now : null,
      closed_by_kind: closing ? actor.kind : null,
      closed_by_id: closing ? actor.id : null,
    });
    if (!updated) throw new AppError('TICKET_NOT_FOUND');
    await insertTicketEvent(scope, {
      id: newId(),
      ticketId,
      kind: 'status_changed',
      status,
      actorKind: actor.kind,
      actorId: actor.id,
      now,
    });
    return getTicket(scope, ticketId);
  });
}

/** The ticket's status history, oldest first. */
export async function listTicketHistory(scope: TenantScope, ticketId: string): Promise<TicketEvent[]> {
  return listTicketEvents(scope, ticketId);
}

/**
 * Marks new activity on a ticket (messages were added, possibly back-dated, as seeds do) so lists
 * sort it first, and re-reads when each side last wrote publicly.
 * @throws TICKET_NOT_FOUND
 */
export async function touchTicket(scope: TenantScope, ticketId: string, at: Date): Promise<void> {
  const last = await findLastPublicMessageTimes(scope, ticketId);
  const updated = await repo.updateTicket(scope, ticketId, {
    last_activity_at: toDbTime(at),
    updated_at: toDbTime(at),
    last_customer_message_at: last.customer,
    last_team_reply_at: last.team,
  });
  if (!updated) throw new AppError('TICKET_NOT_FOUND');
}

/**
 * Records a message just added to a ticket, inside the caller's transaction: a public one is new
 * activity (lists sort it first) and the latest word of its side — a customer's makes the ticket
 * await a reply and unread for the team, a team member's answers it. An internal note changes
 * nothing a customer could notice, not even the activity time.
 * @throws TICKET_NOT_FOUND
 */
export async function recordTicketMessage(
  scope: TenantScope,
  message: Pick<Message, 'ticketId' | 'author' | 'visibility' | 'createdAt'>,
): Promise<void> {
  if (message.visibility !== 'public') return;
  const at = toDbTime(message.createdAt);
  const updated = await repo.updateTicket(scope, message.ticketId, {
    last_activity_at: at,
    updated_at: at,
    ...(message.author.kind === 'contact' ? { last_customer_message_at: at } : {}),
    ...(message.author.kind === 'team_member' ? { last_team_reply_at: at } : {}),
  });
  if (!updated) throw new AppError('TICKET_NOT_FOUND');
}

export async function countTicketsByStatus(scope: TenantScope): Promise<Record<string, number>> {
  return repo.countTicketsByStatus(scope);
}
