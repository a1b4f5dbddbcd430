import type { Selectable } from 'kysely';
import type { InboundMessageTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

/** The only reader and writer of `inbound_message`. */

export type InboundStatus = InboundMessageTable['status'];

export interface InboundMessage {
  readonly id: string;
  readonly replyAddressId: string;
  readonly ticketId: string;
  readonly door: 'smtp' | 'webhook';
  readonly envelopeFrom: string | null;
  readonly messageId: string;
  readonly rawKey: string;
  readonly size: number;
  readonly authentication: unknown;
  readonly status: InboundStatus;
  readonly reason: string | null;
  readonly postedMessageId: string | null;
  readonly createdAt: Date;
  readonly processedAt: Date | null;
  /** What the team's quarantine list shows, once processed: the From address, subject and start of the new text. */
  readonly summary: { readonly fromAddress: string | null; readonly subject: string | null; readonly preview: string | null };
}

function toInboundMessage(row: Selectable<InboundMessageTable>): InboundMessage {
  return {
    id: row.id,
    replyAddressId: row.reply_address_id,
    ticketId: row.ticket_id,
    door: row.door,
    envelopeFrom: row.envelope_from,
    messageId: row.message_id,
    rawKey: row.raw_key,
    size: Number(row.size),
    authentication: row.authentication === null ? null : (JSON.parse(row.authentication) as unknown),
    status: row.status,
    reason: row.reason,
    postedMessageId: row.posted_message_id,
    createdAt: fromDbTime(row.created_at),
    processedAt: row.processed_at === null ? null : fromDbTime(row.processed_at),
    summary: { fromAddress: row.from_address ?? null, subject: row.subject ?? null, preview: row.preview ?? null },
  };
}

export interface NewInboundMessageRow {
  readonly id: string;
  readonly replyAddressId: string;
  readonly ticketId: string;
  readonly door: 'smtp' | 'webhook';
  readonly envelopeFrom: string | null;
  readonly messageId: string;
  readonly rawKey: string;
  readonly size: number;
  readonly authentication: unknown;
  readonly now: string;
}

/** Stores an accepted message; false when this reply address already has one with that Message-ID (a second delivery). */
export async function insertInboundMessage(scope: TenantScope, row: NewInboundMessageRow): Promise<boolean> {
  const result = await scope
    .insertInto('inbound_message', {
      id: row.id,
      reply_address_id: row.replyAddressId,
      ticket_id: row.ticketId,
      door: row.door,
      envelope_from: row.envelopeFrom,
      message_id: row.messageId,
      raw_key: row.rawKey,
      size: row.size,
      authentication: row.authentication === null || row.authentication === undefined ? null : JSON.stringify(row.authentication),
      status: 'received',
      reason: null,
      posted_message_id: null,
      created_at: row.now,
      processed_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'reply_address_id', 'message_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findInboundMessage(scope: TenantScope, id: string): Promise<InboundMessage | undefined> {
  const row = await scope
    .selectFrom('inbound_message')
    .selectAll('inbound_message')
    .where('inbound_message.id', '=', id)
    .executeTakeFirst();
  return row && toInboundMessage(row);
}

/**
 * Moves a message from one status to the next, only if it is still in `from` (compare and set):
 * of two workers processing the same message, one wins. Returns whether it moved.
 */
export async function moveInboundMessage(
  scope: TenantScope,
  id: string,
  from: readonly InboundStatus[],
  change: {
    status: InboundStatus;
    reason?: string | null;
    postedMessageId?: string | null;
    summary?: { fromAddress: string | null; subject: string | null; preview: string | null };
    now: string;
  },
): Promise<boolean> {
  const result = await scope
    .updateTable('inbound_message')
    .set({
      status: change.status,
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.postedMessageId !== undefined ? { posted_message_id: change.postedMessageId } : {}),
      ...(change.summary
        ? { from_address: change.summary.fromAddress, subject: change.summary.subject, preview: change.summary.preview }
        : {}),
      processed_at: change.now,
    })
    .where('inbound_message.id', '=', id)
    .where('inbound_message.status', 'in', [...from])
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The tenant's messages in a status (the quarantine), newest first. */
export async function listInboundMessages(scope: TenantScope, status: InboundStatus, limit: number): Promise<InboundMessage[]> {
  const rows = await scope
    .selectFrom('inbound_message')
    .selectAll('inbound_message')
    .where('inbound_message.status', '=', status)
    .orderBy('inbound_message.created_at', 'desc')
    .orderBy('inbound_message.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toInboundMessage);
}

/** How many messages a ticket received since `since` (the per-ticket inbound limit). */
export async function countInboundMessagesOfTicketSince(scope: TenantScope, ticketId: string, since: string): Promise<number> {
  const row = await scope
    .selectFrom('inbound_message')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('inbound_message.ticket_id', '=', ticketId)
    .where('inbound_message.created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
