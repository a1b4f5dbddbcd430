import type { Selectable } from 'kysely';
import type { ActorKind, MessageTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface Message {
  readonly id: string;
  readonly ticketId: string;
  readonly author: { readonly kind: ActorKind; readonly id: string | null };
  readonly body: string;
  readonly visibility: 'public' | 'internal';
  readonly via: 'portal' | 'email' | 'app';
  /** The Message-ID of the email it came in, for messages via `email`; else null. */
  readonly emailMessageId: string | null;
  readonly createdAt: Date;
}

function toMessage(row: Selectable<MessageTable>): Message {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    author: { kind: row.author_kind, id: row.author_id },
    body: row.body,
    visibility: row.visibility,
    via: row.via,
    emailMessageId: row.email_message_id,
    createdAt: fromDbTime(row.created_at),
  };
}

export interface NewMessageRow {
  id: string;
  ticketId: string;
  authorKind: ActorKind;
  authorId: string | null;
  body: string;
  visibility: 'public' | 'internal';
  via: 'portal' | 'email' | 'app';
  emailMessageId: string | null;
  now: string;
}

export async function insertMessage(scope: TenantScope, m: NewMessageRow): Promise<Message> {
  const row = await scope
    .insertInto('message', {
      id: m.id,
      ticket_id: m.ticketId,
      author_kind: m.authorKind,
      author_id: m.authorId,
      body: m.body,
      visibility: m.visibility,
      via: m.via,
      email_message_id: m.emailMessageId,
      created_at: m.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMessage(row);
}

/** A ticket's conversation, oldest first; `publicOnly` for anything a customer can see. */
export async function listMessagesOfTicket(scope: TenantScope, ticketId: string, options: { publicOnly: boolean }): Promise<Message[]> {
  let query = scope.selectFrom('message').selectAll().where('message.ticket_id', '=', ticketId);
  if (options.publicOnly) query = query.where('message.visibility', '=', 'public');
  const rows = await query.orderBy('message.created_at').orderBy('message.id').execute();
  return rows.map(toMessage);
}

/** Public messages one side wrote on a ticket in (after, until], oldest first: what one combined email carries. */
async function listPublicMessagesBetween(
  scope: TenantScope,
  ticketId: string,
  authorKind: 'contact' | 'team_member',
  range: { readonly after: string; readonly until: string },
): Promise<Message[]> {
  const rows = await scope
    .selectFrom('message')
    .selectAll()
    .where('message.ticket_id', '=', ticketId)
    .where('message.visibility', '=', 'public')
    .where('message.author_kind', '=', authorKind)
    .where('message.created_at', '>', range.after)
    .where('message.created_at', '<=', range.until)
    .orderBy('message.created_at')
    .orderBy('message.id')
    .limit(MAX_COMBINED_MESSAGES)
    .execute();
  return rows.map(toMessage);
}

/** Public messages customers wrote on a ticket after `after` (exclusive) up to `until` (inclusive), oldest first. */
export function listCustomerMessagesBetween(
  scope: TenantScope,
  ticketId: string,
  range: { readonly after: string; readonly until: string },
) {
  return listPublicMessagesBetween(scope, ticketId, 'contact', range);
}

/** Public replies team members wrote on a ticket in (after, until], oldest first: what a customer's email carries. */
export function listTeamRepliesBetween(scope: TenantScope, ticketId: string, range: { readonly after: string; readonly until: string }) {
  return listPublicMessagesBetween(scope, ticketId, 'team_member', range);
}

/** The contacts who wrote a public message on a ticket (its followers, for clients whose contacts see all tickets). */
export async function listContactAuthorsOfTicket(scope: TenantScope, ticketId: string): Promise<string[]> {
  const rows = await scope
    .selectFrom('message')
    .select('message.author_id')
    .distinct()
    .where('message.ticket_id', '=', ticketId)
    .where('message.visibility', '=', 'public')
    .where('message.author_kind', '=', 'contact')
    .execute();
  return rows.map((r) => r.author_id).filter((id): id is string => id !== null);
}

/** One email lists at most this many messages; the next job takes the rest. */
const MAX_COMBINED_MESSAGES = 50;

export async function findMessageOfTicket(scope: TenantScope, ticketId: string, messageId: string): Promise<Message | undefined> {
  const row = await scope
    .selectFrom('message')
    .selectAll()
    .where('message.id', '=', messageId)
    .where('message.ticket_id', '=', ticketId)
    .executeTakeFirst();
  return row && toMessage(row);
}

/** When each side last wrote publicly on a ticket: a contact's and a team member's latest public message. */
export async function findLastPublicMessageTimes(
  scope: TenantScope,
  ticketId: string,
): Promise<{ readonly customer: string | null; readonly team: string | null }> {
  const rows = await scope
    .selectFrom('message')
    .select(['message.author_kind', (eb) => eb.fn.max('message.created_at').as('at')])
    .where('message.ticket_id', '=', ticketId)
    .where('message.visibility', '=', 'public')
    .where('message.author_kind', 'in', ['contact', 'team_member'])
    .groupBy('message.author_kind')
    .execute();
  const at = (kind: string) => rows.find((r) => r.author_kind === kind)?.at ?? null;
  return { customer: at('contact'), team: at('team_member') };
}
