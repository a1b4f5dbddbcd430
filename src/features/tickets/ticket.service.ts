import type { Clock } from '../../platform/clock.js';
import type { ActorKind } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { attachUploads } from '../attachments/file.service.js';
import { getClient, getContact } from '../clients/client.service.js';
import { appendMessage, findLastPublicMessageTimes, type Message } from '../messages/message.service.js';
import { allocateTicketNumber } from '../tenants/tenant.service.js';
import type { TicketPriority, TicketStatus } from './ticket.domain.js';
import { insertTicketEvents, listTicketEvents, type NewTicketEvent, type TicketEvent } from './ticket-event.repository.js';
import * as repo from './ticket.repository.js';
import type { Ticket, TicketPatch } from './ticket.repository.js';
import { type TCreateTicketRequest, ZCreateTicketRequest } from './ticket.schemas.js';

export type { Ticket } from './ticket.repository.js';
export type { TicketEvent } from './ticket-event.repository.js';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string | null;
}

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Fields to change; a field left out stays as it is (null clears assignee, schedule and charge). */
export interface TicketChanges {
  readonly status?: TicketStatus;
  readonly priority?: TicketPriority;
  readonly assigneeId?: string | null;
  readonly scheduledAt?: Date | null;
  readonly charge?: Money | null;
}

/**
 * Opens a ticket for a client of the scope's tenant, with the next per-tenant number, its
 * "created" history entry and, when a body is given, its first public message — in the caller's
 * transaction (it joins or opens one).
 * @throws VALIDATION_FAILED, CLIENT_NOT_FOUND, CONTACT_NOT_FOUND (requester not of that client)
 */
export async function createTicket(
  scope: TenantScope,
  clock: Clock,
  input: TCreateTicketRequest,
  actor: Actor,
): Promise<{ ticket: Ticket; firstMessage: Message | null }> {
  const data = parseInput(ZCreateTicketRequest, input);
  return scope.transaction(async (tx) => {
    const client = await getClient(tx, data.clientId);
    if (data.requesterContactId) {
      const contact = await getContact(tx, data.requesterContactId);
      if (contact.clientId !== client.id) throw new AppError('CONTACT_NOT_FOUND');
    }
    const now = clock.now();
    const created = await repo.insertTicket(tx, {
      id: newId(now.getTime()),
      clientId: client.id,
      requesterContactId: data.requesterContactId ?? null,
      number: await allocateTicketNumber(tx),
      title: data.title,
      status: data.status,
      priority: data.priority,
      scheduledAt: data.scheduledAt ? toDbTime(new Date(data.scheduledAt)) : null,
      charge: data.charge ?? null,
      source: data.source,
      now: toDbTime(now),
    });
    await insertTicketEvents(tx, [historyEvent(created.id, actor, now, 'created', { status: created.status })]);
    if (data.body === undefined || data.body.trim() === '') return { ticket: created, firstMessage: null };
    const firstMessage = await appendMessage(tx, clock, {
      ticketId: created.id,
      author: actor,
      body: data.body,
      visibility: 'public',
      via: data.source,
      at: now,
    });
    await recordTicketMessage(tx, firstMessage);
    return { ticket: await getTicket(tx, created.id), firstMessage };
  });
}

/** The organisation's limit on files per ticket (config `files.ticketQuotaBytes`). */
export interface TicketFileLimits {
  readonly ticketQuotaBytes: number;
}

/**
 * Opens a ticket whose first message is a person's description, with the files they uploaded for
 * it attached to that message — a portal submission, or a ticket the team opens for a customer —
 * in the caller's transaction.
 * @throws as createTicket, and FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED for the files
 */
export async function createTicketWithFiles(
  scope: TenantScope,
  clock: Clock,
  input: TCreateTicketRequest & { readonly body: string },
  author: Actor & { readonly kind: 'contact' | 'team_member'; readonly id: string },
  files: TicketFileLimits & { readonly fileIds: readonly string[] },
): Promise<{ ticket: Ticket; firstMessage: Message }> {
  return scope.transaction(async (tx) => {
    const { ticket, firstMessage } = await createTicket(tx, clock, input, author);
    if (!firstMessage) throw new Error(`ticket ${ticket.id} was created without its first message`);
    await attachUploads(tx, clock, files.fileIds, {
      uploader: author,
      ticketId: ticket.id,
      messageId: firstMessage.id,
      ticketQuotaBytes: files.ticketQuotaBytes,
    });
    return { ticket, firstMessage };
  });
}

/** The ticket, or undefined when the scope's tenant has no such ticket. */
export async function findTicket(scope: TenantScope, ticketId: string): Promise<Ticket | undefined> {
  return repo.findTicketById(scope, ticketId);
}

/** Several tickets at once (one query), e.g. the tickets of a page of quotes. */
export async function findTicketsByIds(scope: TenantScope, ticketIds: readonly string[]): Promise<Ticket[]> {
  return repo.findTicketsByIds(scope, ticketIds);
}

/** @throws TICKET_NOT_FOUND — for a missing ticket and for another tenant's, alike */
export async function getTicket(scope: TenantScope, ticketId: string): Promise<Ticket> {
  const ticket = await repo.findTicketById(scope, ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/** How a charge is kept in the history: JSON, so old and new values read back exactly. */
function chargeToHistory(charge: Money | null): string | null {
  return charge ? JSON.stringify({ amount: charge.amount, currency: charge.currency }) : null;
}

const sameCharge = (a: Money | null, b: Money | null) => a?.amount === b?.amount && a?.currency === b?.currency;
const sameTime = (a: Date | null, b: Date | null) => a?.getTime() === b?.getTime();

function historyEvent(
  ticketId: string,
  actor: Actor,
  now: Date,
  kind: NewTicketEvent['kind'],
  values: { status?: TicketStatus; from?: string | null; to?: string | null },
): NewTicketEvent {
  return {
    id: newId(now.getTime()),
    ticketId,
    kind,
    status: values.status ?? null,
    from: values.from ?? null,
    to: values.to ?? null,
    actorKind: actor.kind,
    actorId: actor.id,
    now: toDbTime(now),
  };
}

/**
 * THE transition: every change of a ticket's fields goes through here — the portal's close and
 * reopen-by-reply, the team's changes, the seed. In the caller's transaction (it joins or opens
 * one), every field that really changes is written and recorded as one history event with its old
 * and new value; a value equal to the current one records nothing. Closing stamps
 * closed_at/closed_by, any other status clears them, and a status change is new activity (lists
 * sort it first). The caller has checked that an assignee may be assigned.
 * @throws TICKET_NOT_FOUND
 */
export async function changeTicket(
  scope: TenantScope,
  clock: Clock,
  ticketId: string,
  changes: TicketChanges,
  actor: Actor,
): Promise<{ ticket: Ticket; changed: readonly NewTicketEvent['kind'][] }> {
  return scope.transaction(async (tx) => {
    // Lock first, then read: two concurrent changes cannot both see the old value and both record it.
    if (!(await repo.lockTicket(tx, ticketId))) throw new AppError('TICKET_NOT_FOUND');
    const before = await getTicket(tx, ticketId);
    const now = clock.now();
    const at = toDbTime(now);
    const patch: TicketPatch = {};
    const events: NewTicketEvent[] = [];
    const record = (kind: NewTicketEvent['kind'], from: string | null, to: string | null, status?: TicketStatus) =>
      events.push(historyEvent(ticketId, actor, now, kind, { from, to, ...(status ? { status } : {}) }));

    if (changes.status !== undefined && changes.status !== before.status) {
      const closing = changes.status === 'closed';
      Object.assign(patch, {
        status: changes.status,
        last_activity_at: at,
        closed_at: closing ? at : null,
        closed_by_kind: closing ? actor.kind : null,
        closed_by_id: closing ? actor.id : null,
      });
      record('status_changed', before.status, changes.status, changes.status);
    }
    if (changes.priority !== undefined && changes.priority !== before.priority) {
      patch.priority = changes.priority;
      record('priority_changed', before.priority, changes.priority);
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== before.assigneeId) {
      patch.assignee_id = changes.assigneeId;
      record('assignee_changed', before.assigneeId, changes.assigneeId);
    }
    if (changes.scheduledAt !== undefined && !sameTime(changes.scheduledAt, before.scheduledAt)) {
      patch.scheduled_at = changes.scheduledAt ? toDbTime(changes.scheduledAt) : null;
      record('scheduled_changed', before.scheduledAt ? toDbTime(before.scheduledAt) : null, patch.scheduled_at);
    }
    if (changes.charge !== undefined && !sameCharge(changes.charge, before.charge)) {
      patch.charge_amount = changes.charge?.amount ?? null;
      patch.charge_currency = changes.charge?.currency ?? null;
      record('charge_changed', chargeToHistory(before.charge), chargeToHistory(changes.charge));
    }
    if (events.length === 0) return { ticket: before, changed: [] };

    await repo.updateTicket(tx, ticketId, { ...patch, updated_at: at });
    await insertTicketEvents(tx, events);
    return { ticket: await getTicket(tx, ticketId), changed: events.map((e) => e.kind) };
  });
}

/** The ticket's history, oldest first. */
export async function listTicketHistory(scope: TenantScope, ticketId: string): Promise<TicketEvent[]> {
  return listTicketEvents(scope, ticketId);
}

/** The ticket's history in (after, until] (ISO times as stored), oldest first: what a customer's update email is about. */
export async function listTicketEventsBetween(
  scope: TenantScope,
  ticketId: string,
  range: { readonly after: string; readonly until: string },
): Promise<TicketEvent[]> {
  return listTicketEvents(scope, ticketId, range);
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
 * nothing a customer could notice, not even the activity time. Times only move forward, so the
 * last of many concurrent replies to commit cannot make the ticket look older than its newest message.
 * @throws TICKET_NOT_FOUND
 */
export async function recordTicketMessage(
  scope: TenantScope,
  message: Pick<Message, 'ticketId' | 'author' | 'visibility' | 'createdAt'>,
): Promise<void> {
  if (message.visibility !== 'public') return;
  const side = message.author.kind === 'contact' ? 'customer' : message.author.kind === 'team_member' ? 'team' : null;
  if (!(await repo.recordTicketActivity(scope, message.ticketId, toDbTime(message.createdAt), side)))
    throw new AppError('TICKET_NOT_FOUND');
}

export async function countTicketsByStatus(scope: TenantScope): Promise<Record<string, number>> {
  return repo.countTicketsByStatus(scope);
}
