import { presentAttachment } from '../attachments/attachment.presenter.js';
import type { StoredFile } from '../attachments/file.service.js';
import type { Message } from '../messages/message.service.js';
import type { TPortalMessage, TPortalTicketDetail, TPortalTicketSummary } from './portal-ticket.schemas.js';
import type { AuthorNames, PortalTicketDetail, PortalViewer } from './portal-ticket.service.js';
import type { Ticket } from './ticket.service.js';

/**
 * What a customer may see of tickets, allow-listed field by field. Team members appear by first
 * name and the organisation ("Sam · Acme Plumbing"); their emails and ids never leave the server.
 */
export function presentTicketSummary(ticket: Ticket): TPortalTicketSummary {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    scheduledAt: ticket.scheduledAt?.toISOString() ?? null,
    charge: ticket.charge ? { amount: ticket.charge.amount, currency: ticket.charge.currency } : null,
    createdAt: ticket.createdAt.toISOString(),
    lastActivityAt: ticket.lastActivityAt.toISOString(),
  };
}

function teamName(fullName: string | undefined, organisation: string): string {
  const first = fullName?.trim().split(/\s+/)[0];
  return first ? `${first} · ${organisation}` : organisation;
}

function nameOf(actor: { kind: string; id: string | null }, names: AuthorNames, viewer: PortalViewer): string | null {
  if (actor.kind === 'contact' && actor.id) return names.contacts.get(actor.id) ?? 'Customer';
  if (actor.kind === 'team_member') return teamName(actor.id ? names.team.get(actor.id) : undefined, viewer.tenant.name);
  return null;
}

export function presentMessage(
  message: Message,
  names: AuthorNames,
  viewer: PortalViewer,
  attachments: readonly StoredFile[] = [],
): TPortalMessage {
  const isTeam = message.author.kind === 'team_member';
  const isContact = message.author.kind === 'contact';
  return {
    id: message.id,
    author: {
      kind: isTeam ? 'team' : isContact ? 'contact' : 'system',
      name: nameOf(message.author, names, viewer) ?? viewer.tenant.name,
      isOwn: isContact && message.author.id === viewer.contactId,
    },
    body: message.body,
    attachments: attachments.map(presentAttachment),
    createdAt: message.createdAt.toISOString(),
  };
}

export function presentTicketDetail(
  detail: PortalTicketDetail,
  viewer: PortalViewer,
  quotes: TPortalTicketDetail['quotes'] = [],
): TPortalTicketDetail {
  const { ticket, names } = detail;
  const closed = ticket.status === 'closed';
  return {
    ticket: {
      ...presentTicketSummary(ticket),
      requester: ticket.requesterContactId ? (names.contacts.get(ticket.requesterContactId) ?? null) : null,
      closedAt: ticket.closedAt?.toISOString() ?? null,
      closedBy: ticket.closedBy ? nameOf(ticket.closedBy, names, viewer) : null,
    },
    messages: detail.messages.map((m) => presentMessage(m, names, viewer, detail.attachments.get(m.id))),
    history: detail.history
      .filter((e) => e.status !== null)
      .map((e) => ({ at: e.at.toISOString(), status: e.status!, by: nameOf(e.actor, names, viewer) })),
    quotes,
    can: { reply: !closed || viewer.tenant.portal.reopenOnReply, close: !closed, reopenByReply: viewer.tenant.portal.reopenOnReply },
  };
}
