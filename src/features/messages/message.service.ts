import type { Clock } from '../../platform/clock.js';
import type { ActorKind } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import * as repo from './message.repository.js';
import type { Message } from './message.repository.js';

export type { Message } from './message.repository.js';

export interface AppendMessageInput {
  readonly ticketId: string;
  readonly author: { readonly kind: ActorKind; readonly id: string | null };
  readonly body: string;
  readonly visibility: 'public' | 'internal';
  readonly via: 'portal' | 'email' | 'app';
  /** The Message-ID of the email it came in (via `email`), kept for threading and tracing. */
  readonly emailMessageId?: string | null;
  readonly at?: Date;
}

/**
 * Appends a message to a ticket the caller has already authorised, inside the caller's
 * transaction (the ticket's activity time is the ticket service's business).
 */
export async function appendMessage(scope: TenantScope, clock: Clock, input: AppendMessageInput): Promise<Message> {
  const at = input.at ?? clock.now();
  return repo.insertMessage(scope, {
    id: newId(at.getTime()),
    ticketId: input.ticketId,
    authorKind: input.author.kind,
    authorId: input.author.id,
    body: input.body,
    visibility: input.visibility,
    via: input.via,
    emailMessageId: input.emailMessageId ?? null,
    now: toDbTime(at),
  });
}

export async function listMessagesOfTicket(scope: TenantScope, ticketId: string, options: { publicOnly: boolean }): Promise<Message[]> {
  return repo.listMessagesOfTicket(scope, ticketId, options);
}

/** One message of a ticket, or undefined (another ticket's message is not found either). */
export async function findMessageOfTicket(scope: TenantScope, ticketId: string, messageId: string): Promise<Message | undefined> {
  return repo.findMessageOfTicket(scope, ticketId, messageId);
}

/** Public messages customers wrote on a ticket in (after, until], oldest first (at most 50). */
export async function listCustomerMessagesBetween(
  scope: TenantScope,
  ticketId: string,
  range: { readonly after: string; readonly until: string },
): Promise<Message[]> {
  return repo.listCustomerMessagesBetween(scope, ticketId, range);
}

/** The ids of the contacts who wrote publicly on a ticket. */
export async function listContactAuthorsOfTicket(scope: TenantScope, ticketId: string): Promise<string[]> {
  return repo.listContactAuthorsOfTicket(scope, ticketId);
}

/** Public team replies on a ticket in (after, until], oldest first (at most 50). */
export async function listTeamRepliesBetween(
  scope: TenantScope,
  ticketId: string,
  range: { readonly after: string; readonly until: string },
): Promise<Message[]> {
  return repo.listTeamRepliesBetween(scope, ticketId, range);
}

/** When each side last wrote publicly on a ticket (ISO times; null: never). */
export async function findLastPublicMessageTimes(
  scope: TenantScope,
  ticketId: string,
): Promise<{ readonly customer: string | null; readonly team: string | null }> {
  return repo.findLastPublicMessageTimes(scope, ticketId);
}
