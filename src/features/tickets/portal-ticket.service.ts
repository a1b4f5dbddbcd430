import type { AppContext, ScopeContext } from '../../platform/context.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, pageOf, parseTimeIdKey } from '../../platform/pagination.js';
import { attachmentsOfMessages, attachUploads, type StoredFile } from '../attachments/file.service.js';
import { findContactsByIds } from '../clients/client.service.js';
import { appendMessage, findMessageOfTicket, listMessagesOfTicket, type Message } from '../messages/message.service.js';
import { queueCustomerActivityNotifications } from '../notifications/customer-activity.service.js';
import { queueRequestReceivedEmail } from '../notifications/customer-update.service.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import { findPortalTicket, listPortalTickets, type PortalAudience } from './ticket.repository.js';
import type { TReplyRequest, TSubmitTicketRequest } from './portal-ticket.schemas.js';
import { parseTicketSearch } from './ticket.domain.js';
import {
  type Actor,
  changeTicket,
  createTicketWithFiles,
  listTicketHistory,
  recordTicketMessage,
  type Ticket,
  type TicketEvent,
  type TicketFileLimits,
} from './ticket.service.js';

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

export interface PortalTicketDetail {
  readonly ticket: Ticket;
  readonly messages: readonly Message[];
  /** Files by message id. */
  readonly attachments: ReadonlyMap<string, readonly StoredFile[]>;
  readonly history: readonly TicketEvent[];
  readonly names: AuthorNames;
}

function actorOf(viewer: PortalViewer): Actor & { kind: 'contact'; id: string } {
  return { kind: 'contact', id: viewer.contactId };
}

function audienceOf(viewer: PortalViewer): PortalAudience {
  return { clientId: viewer.clientId, requesterContactId: viewer.visibility === 'own' ? viewer.contactId : null };
}

/**
 * One page of the viewer's tickets, newest activity first; `q` means what it means in the team's
 * inbox (parseTicketSearch).
 * @throws VALIDATION_FAILED for a malformed cursor
 */
export async function listViewerTickets(
  ctx: AppContext,
  viewer: PortalViewer,
  query: { status: 'open' | 'closed' | 'all'; q?: string; cursor?: string; limit: number },
): Promise<{ tickets: Ticket[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, parseTimeIdKey) : undefined;
  const search = parseTicketSearch(query.q);
  const rows = await listPortalTickets(forTenant(ctx.db, viewer.tenant.id), audienceOf(viewer), {
    status: query.status,
    ...(search ? { search } : {}),
    ...(after ? { after: { lastActivityAt: after.at, id: after.id } } : {}),
    limit: query.limit + 1,
  });
  const page = pageOf(rows, query.limit, (last) => [last.lastActivityAt.toISOString(), last.id]);
  return { tickets: page.items, nextCursor: page.nextCursor };
}

/** @throws TICKET_NOT_FOUND — for a missing ticket and for one the viewer may not see, alike */
async function getViewerTicket(scope: TenantScope, viewer: PortalViewer, ticketId: string): Promise<Ticket> {
  const ticket = await findPortalTicket(scope, audienceOf(viewer), ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

/** The ticket when the viewer may see it, else undefined: for features acting on a customer's behalf (a quote's change request). */
export async function findViewerTicket(scope: TenantScope, viewer: PortalViewer, ticketId: string): Promise<Ticket | undefined> {
  return findPortalTicket(scope, audienceOf(viewer), ticketId);
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
 * its first message; the team is notified, and the customer gets a "we received your request"
 * email, through the outbox in the same transaction.
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
    const { ticket, firstMessage } = await createTicketWithFiles(
      scope,
      ctx.clock,
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
      { fileIds: input.fileIds, ticketQuotaBytes: limits.ticketQuotaBytes },
    );
    await queueCustomerActivityNotifications(scope, ctx.clock, {
      ticketId: ticket.id,
      messageId: firstMessage.id,
      contactId: viewer.contactId,
      activity: 'submitted',
    });
    await queueRequestReceivedEmail(scope, ctx.clock, ticket.id);
    return ticket;
  });
}

/** Where a customer's reply came from: the portal (the default), or an email to their reply address. */
export type ReplyOrigin = { readonly via: 'portal' } | { readonly via: 'email'; readonly emailMessageId: string };

/**
 * Adds the viewer's reply, with the files they uploaded for it. A closed ticket reopens when the
 * organisation allows it (the default). Joins the caller's transaction when `ctx.db` is a scope.
 * @throws TICKET_NOT_FOUND, TICKET_CLOSED (reopening by reply is off), FILE_NOT_FOUND, TICKET_QUOTA_EXCEEDED
 */
export async function replyAsViewer(
  ctx: ScopeContext,
  viewer: PortalViewer,
  ticketId: string,
  input: TReplyRequest,
  limits: TicketFileLimits,
  origin: ReplyOrigin = { via: 'portal' },
): Promise<{ message: Message; attachments: StoredFile[]; ticket: Ticket }> {
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const ticket = await getViewerTicket(scope, viewer, ticketId);
    const now = ctx.clock.now();
    const reopen = ticket.status === 'closed';
    if (reopen && !viewer.tenant.portal.reopenOnReply) throw new AppError('TICKET_CLOSED');
    const message = await appendMessage(scope, ctx.clock, {
      ticketId,
      author: actorOf(viewer),
      body: input.body,
      visibility: 'public',
      via: origin.via,
      emailMessageId: origin.via === 'email' ? origin.emailMessageId : null,
      at: now,
    });
    const attachments = await attachUploads(scope, ctx.clock, input.fileIds, {
      uploader: actorOf(viewer),
      ticketId,
      messageId: message.id,
      ticketQuotaBytes: limits.ticketQuotaBytes,
    });
    await recordTicketMessage(scope, message);
    if (reopen) await changeTicket(scope, ctx.clock, ticketId, { status: 'open' }, actorOf(viewer));
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
      author: actorOf(viewer),
      body: text,
      visibility: 'public',
      via: 'portal',
      at: now,
    });
    await recordTicketMessage(scope, message);
    await changeTicket(scope, ctx.clock, ticketId, { status: 'closed' }, actorOf(viewer));
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
