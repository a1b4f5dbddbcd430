import { presentAttachment } from '../attachments/attachment.presenter.js';
import type { StoredFile } from '../attachments/file.service.js';
import type { Message } from '../messages/message.service.js';
import type { TicketEvent } from './ticket.service.js';
import { isAwaitingReply, isUnread, type InboxRow } from './inbox.service.js';
import type { TeamTicketDetail, TicketPeople } from './team-ticket.service.js';
import type { TTeamActor, TTeamHistoryEntry, TTeamMessage, TTeamTicketDetail, TTeamTicketRow } from './team-ticket.schemas.js';
import type { TicketPriority, TicketStatus } from './ticket.domain.js';

/**
 * What the team sees of tickets. Team members see each other by name; contacts by name, email and
 * photo. Storage keys, hashes and session data never appear.
 */
export function presentTeamTicketRow(row: InboxRow): TTeamTicketRow {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status,
    priority: row.priority,
    client: { id: row.client.id, name: row.client.name },
    requester: row.requester
      ? { id: row.requester.id, name: row.requester.name, email: row.requester.email, photoFileId: row.requester.photoFileId }
      : null,
    assignee: row.assignee ? { id: row.assignee.id, name: row.assignee.name } : null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    charge: row.charge ? { amount: row.charge.amount, currency: row.charge.currency } : null,
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    awaitingReply: isAwaitingReply(row),
    unread: isUnread(row, row.readAt),
  };
}

const FORMER_MEMBER = 'Former team member';

function actorOf(actor: { kind: TTeamActor['kind']; id: string | null }, people: TicketPeople): TTeamActor {
  if (actor.kind === 'contact') {
    const contact = actor.id ? people.contacts.get(actor.id) : undefined;
    return {
      kind: 'contact',
      id: actor.id,
      name: contact?.name ?? 'Customer',
      email: contact?.email ?? null,
      photoFileId: contact?.photoFileId ?? null,
    };
  }
  if (actor.kind === 'team_member') {
    const member = actor.id ? people.team.get(actor.id) : undefined;
    return { kind: 'team_member', id: actor.id, name: member?.name ?? FORMER_MEMBER, email: null, photoFileId: null };
  }
  return {
    kind: actor.kind,
    id: actor.id,
    name: actor.kind === 'operator' ? 'Servelo operator' : 'System',
    email: null,
    photoFileId: null,
  };
}

export function presentTeamMessage(message: Message, people: TicketPeople, attachments: readonly StoredFile[] = []): TTeamMessage {
  return {
    id: message.id,
    visibility: message.visibility,
    via: message.via,
    author: actorOf(message.author, people),
    body: message.body,
    attachments: attachments.map(presentAttachment),
    createdAt: message.createdAt.toISOString(),
  };
}

function personOf(id: string | null, people: TicketPeople): { id: string; name: string } | null {
  return id ? { id, name: people.team.get(id)?.name ?? FORMER_MEMBER } : null;
}

function moneyOf(json: string | null): { amount: number; currency: string } | null {
  if (!json) return null;
  const value = JSON.parse(json) as { amount: number; currency: string };
  return { amount: value.amount, currency: value.currency };
}

export function presentHistoryEntry(e: TicketEvent, people: TicketPeople): TTeamHistoryEntry {
  const base = { id: e.id, at: e.at.toISOString(), actor: actorOf(e.actor, people) };
  switch (e.kind) {
    case 'created':
      return { ...base, kind: 'created', status: (e.status ?? 'new') as TicketStatus };
    case 'status_changed':
      return { ...base, kind: 'status_changed', from: e.from as TicketStatus | null, to: (e.to ?? e.status) as TicketStatus };
    case 'priority_changed':
      return { ...base, kind: 'priority_changed', from: e.from as TicketPriority | null, to: e.to as TicketPriority };
    case 'assignee_changed':
      return { ...base, kind: 'assignee_changed', from: personOf(e.from, people), to: personOf(e.to, people) };
    case 'scheduled_changed':
      return { ...base, kind: 'scheduled_changed', from: e.from, to: e.to };
    case 'charge_changed':
      return { ...base, kind: 'charge_changed', from: moneyOf(e.from), to: moneyOf(e.to) };
  }
}

export function presentTeamTicketDetail(detail: TeamTicketDetail): TTeamTicketDetail {
  const { ticket, people } = detail;
  return {
    ticket: {
      ...presentTeamTicketRow(ticket),
      source: ticket.source,
      closedAt: ticket.closedAt?.toISOString() ?? null,
      closedBy: ticket.closedBy ? actorOf(ticket.closedBy, people) : null,
    },
    messages: detail.messages.map((m) => presentTeamMessage(m, people, detail.attachments.get(m.id))),
    history: detail.history.map((e) => presentHistoryEntry(e, people)),
  };
}
