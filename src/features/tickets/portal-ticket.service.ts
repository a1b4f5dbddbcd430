import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { attachmentsOfMessages, attachUploads, type StoredFile } from '../attachments/file.service.js';
import { findContactsByIds } from '../clients/client.service.js';
import { appendMessage, findMessageOfTicket, listMessagesOfTicket, type Message } from '../messages/message.service.js';
import { queueCustomerActivityNotifications } from '../notifications/customer-activity.service.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import { insertTicketEvent } from './ticket-event.repository.js';
import { findPortalTicket, listPortalTickets, type PortalAudience } from './portal-ticket.repository.js';
import type { TReplyRequest, TSubmitTicketRequest } from './portal-ticket.schemas.js';
import { createTicket, listTicketHistory, type Ticket, type TicketEvent } from './ticket.service.js';
import { updateTicket } from './ticket.repository.js';

/** The signed-in customer, as the session established it (never from input). */
export interface PortalViewer {
  readonly tenant: Tenant;
  readonly contactId: string;
  readonly contactName: string;
  readonly clientId: string;
  readonly visibility: 'all' | 'own';
}

export interface AuthorNames {
  readonly contacts: ReadonlyMap<string, string>;
  readonly team: ReadonlyMap<string, string>;
}

/** The organisation's limit on files per ticket (config `files.ticketQuotaBytes`). */
export interface TicketFileLimits {
  readonly ticketQuotaBytes: number;
}

export interface PortalTicketDetail {
  readonly ticket: Ticket;
  readonly messages: readonly Message[];
  /** Files by message id. */
  readonly attachments: ReadonlyMap<string, readonly StoredFile[]>;
  readonly history: readonly TicketEvent[];
  readonly names: AuthorNames;
}

function audienceOf(viewer: PortalViewer): PortalAudience {
  return { clientId: viewer.clientId, requesterContactId: viewer.visibility === 'own' ? viewer.contactId : null };
}

/** Keyset cursors are opaque to clients: base64url of [last_activity_at, id]. */
export function encodeCursor(ticket: Ticket): string {
  return Buffer.from(JSON.stringify([ticket.lastActivityAt.toISOString(), ticket.id])).toString('base64url');
}

function decodeCursor(cursor: string): { lastActivityAt: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { lastActivityAt: new Date(at).toISOString(), id };
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', undefined, { details: [{ path: 'cursor', message: 'is not a valid page cursor' }] });
}

/**
 * One page of the viewer's tickets, newest activity first.
 * @throws VALIDATION_FAILED for a malformed cursor
 */
export async function listViewerTickets(
  ctx: AppContext,
  viewer: PortalViewer,
  query: { status: 'open' | 'closed' | 'all'; q?: string; cursor?: string; limit: number },
): Promise<{ tickets: Ticket[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await listPortalTickets(forTenant(ctx.db, viewer.tenant.id), audienceOf(viewer), {
    status: query.status,
    ...(query.q ? { q: query.q } : {}),
    ...(after ? { after } : {}),
    limit: query.limit + 1,
  });
  const tickets = rows.slice(0, query.limit);
  const last = tickets.at(-1);
  return { tickets, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/** @throws TICKET_NOT_FOUND — for a missing ticket and for one the viewer may not see, alike */
async function getViewerTicket(scope: TenantScope, viewer: PortalViewer, ticketId: string): Promise<Ticket> {
  const ticket = await findPortalTicket(scope, audienceOf(viewer), ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/**
 * A ticket with its public conversation (internal notes never leave the server), the authors'
 * names and the status history, in a fixed number of queries.
 * @throws TICKET_NOT_FOUND
 */
export async function getViewerTicketDetail(ctx: AppContext, viewer: PortalViewer, ticketId: string): Promise<PortalTicketDetail> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const ticket = await getViewerTicket(scope, viewer, ticketId);
  const [messages, history] = [
    await listMessagesOfTicket(scope, ticket.id, { publicOnly: true }),
    await listTicketHistory(scope, ticket.id),
  ];
  const contactIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const actor of [...messages.map((m) => m.author), ...history.map((e) => e.actor)]) {
    if (actor.kind === 'contact' && actor.id) contactIds.add(actor.id);
    if (actor.kind === 'team_member' && actor.id) teamIds.add(actor.id);
  }
  if (ticket.requesterContactId) contactIds.add(ticket.requesterContactId);
  if (ticket.closedBy?.kind === 'contact' && ticket.closedBy.id) contactIds.add(ticket.closedBy.id);
  if (ticket.closedBy?.kind === 'team_member' && ticket.closedBy.id) teamIds.add(ticket.closedBy.id);
  const contacts = await findContactsByIds(scope, [...contactIds]);
  const team = await findTeamMembersByIds(scope, [...teamIds]);
  const attachments = await attachmentsOfMessages(
    scope,
    messages.map((m) => m.id),
  );
  return {
    ticket,
    messages,
    attachments,
    history,
    names: { contacts: new Map(contacts.map((c) => [c.id, c.name])), team: new Map(team.map((m) => [m.id, m.name])) },
  };
}

/**
 * Submits a new ticket for the viewer's client: status "new", source portal, the description as
 * its first message; the team is notified through the outbox in the same transaction.
 * @throws PORTAL_SUBMISSIONS_DISABLED when the organisation turned portal submissions off
 */
export async function submitViewerTicket(
  ctx: AppContext,
  viewer: PortalViewer,
  input: TSubmitTicketRequest,
  limits: TicketFileLimits,
): Promise<Ticket> {
  if (!viewer.tenant.portal.submissionsEnabled) throw new AppError('PORTAL_SUBMISSIONS_DISABLED');
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const actor = { kind: 'contact' as const, id: viewer.contactId };
    const ticket = await createTicket(
      { db: scope.db, clock: ctx.clock },
      viewer.tenant.id,
      {
        clientId: viewer.clientId,
        requesterContactId: viewer.contactId,
        title: input.title,
        body: input.description,
        priority: input.priority ?? 'normal',
        status: 'new',
        source: 'portal',
      },
      actor,
    );
    const [first] = await listMessagesOfTicket(scope, ticket.id, { publicOnly: true });
    if (!first) throw new Error(`ticket ${ticket.id} was created without its first message`);
    await attachUploads(scope, ctx.clock, input.fileIds, {
      uploader: actor,
      ticketId: ticket.id,
      messageId: first.id,
      ticketQuotaBytes: limits.ticketQuotaBytes,
    });
    await queueCustomerActivityNotifications(scope, ctx.clock, {
      ticketId: ticket.id,
      messageId: first.id,
      contactId: viewer.contactId,
      activity: 'submitted',
    });
    return ticket;
  });
}

/**
 * Adds the viewer's reply, with the files they uploaded for it. A closed ticket reopens when the
 * organisation allows it (the default).
 * @throws TICKET_NOT_FOUND, TICKET_CLOSED (reopening by reply is off), FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function replyAsViewer(
  ctx: AppContext,
  viewer: PortalViewer,
  ticketId: string,
  input: TReplyRequest,
  limits: TicketFileLimits,
): Promise<{ message: Message; attachments: StoredFile[]; ticket: Ticket }> {
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const ticket = await getViewerTicket(scope, viewer, ticketId);
    const now = ctx.clock.now();
    const reopen = ticket.status === 'closed';
    if (reopen && !viewer.tenant.portal.reopenOnReply) throw new AppError('TICKET_CLOSED');
    const message = await appendMessage(scope, ctx.clock, {
      ticketId,
      author: { kind: 'contact', id: viewer.contactId },
      body: input.body,
      visibility: 'public',
      via: 'portal',
      at: now,
    });
    const attachments = await attachUploads(scope, ctx.clock, input.fileIds, {
      uploader: { kind: 'contact', id: viewer.contactId },
      ticketId,
      messageId: message.id,
      ticketQuotaBytes: limits.ticketQuotaBytes,
    });
    await updateTicket(scope, ticketId, {
      last_activity_at: toDbTime(now),
      updated_at: toDbTime(now),
      last_customer_message_at: toDbTime(now),
      ...(reopen ? { status: 'open', closed_at: null, closed_by_kind: null, closed_by_id: null } : {}),
    });
    if (reopen) await recordStatus(scope, ticketId, 'open', viewer, now);
    await queueCustomerActivityNotifications(scope, ctx.clock, {
      ticketId,
      messageId: message.id,
      contactId: viewer.contactId,
      activity: 'replied',
    });
    return { message, attachments, ticket: await getViewerTicket(scope, viewer, ticketId) };
  });
}

/**
 * Closes a ticket with the viewer's closing message, which is required.
 * @throws CLOSING_MESSAGE_REQUIRED, TICKET_NOT_FOUND, TICKET_CLOSED (already closed)
 */
export async function closeAsViewer(ctx: AppContext, viewer: PortalViewer, ticketId: string, text: string): Promise<void> {
  if (text.trim() === '') throw new AppError('CLOSING_MESSAGE_REQUIRED');
  await forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const ticket = await getViewerTicket(scope, viewer, ticketId);
    if (ticket.status === 'closed') throw new AppError('TICKET_CLOSED', 'This ticket is already closed.');
    const now = ctx.clock.now();
    const message = await appendMessage(scope, ctx.clock, {
      ticketId,
      author: { kind: 'contact', id: viewer.contactId },
      body: text,
      visibility: 'public',
      via: 'portal',
      at: now,
    });
    const at = toDbTime(now);
    await updateTicket(scope, ticketId, {
      status: 'closed',
      closed_at: at,
      closed_by_kind: 'contact',
      closed_by_id: viewer.contactId,
      last_activity_at: at,
      last_customer_message_at: at,
      updated_at: at,
    });
    await recordStatus(scope, ticketId, 'closed', viewer, now);
    await queueCustomerActivityNotifications(scope, ctx.clock, {
      ticketId,
      messageId: message.id,
      contactId: viewer.contactId,
      activity: 'closed',
    });
  });
}

/**
 * Whether the viewer may see a message's files: a public message of a ticket they can see.
 * Internal notes' files are as invisible as the notes.
 */
export async function viewerCanSeeMessage(ctx: AppContext, viewer: PortalViewer, ticketId: string, messageId: string): Promise<boolean> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const ticket = await findPortalTicket(scope, audienceOf(viewer), ticketId);
  if (!ticket) return false;
  const message = await findMessageOfTicket(scope, ticketId, messageId);
  return message?.visibility === 'public';
}

async function recordStatus(
  scope: TenantScope,
  ticketId: string,
  status: 'open' | 'closed',
  viewer: PortalViewer,
  now: Date,
): Promise<void> {
  await insertTicketEvent(scope, {
    id: newId(now.getTime()),
    ticketId,
    kind: 'status_changed',
    status,
    actorKind: 'contact',
    actorId: viewer.contactId,
    now: toDbTime(now),
  });
}
