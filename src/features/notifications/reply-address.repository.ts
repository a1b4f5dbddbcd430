import type { Selectable } from 'kysely';
import type { Executor, ReplyAddressTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { findTenantOfReplyAddress } from '../../platform/db/cross-tenant.repository.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';

/**
 * Reply addresses (`reply+<token>@INBOUND_DOMAIN`) route an emailed reply back to one ticket and
 * one recipient. Only the SHA-256 of the token is stored (SECURITY.md §6); the token itself is
 * derived again from APP_SECRET whenever a notification needs the address.
 */
export interface ReplyRecipient {
  readonly kind: 'team_member' | 'contact';
  readonly id: string;
}

export interface ReplyAddress {
  readonly id: string;
  readonly tenantId: string;
  readonly ticketId: string;
  readonly recipient: ReplyRecipient;
  readonly createdAt: Date;
}

function toReplyAddress(row: Selectable<ReplyAddressTable>): ReplyAddress {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ticketId: row.ticket_id,
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    createdAt: fromDbTime(row.created_at),
  };
}

export interface NewReplyAddressRow {
  readonly id: string;
  readonly ticketId: string;
  readonly recipient: ReplyRecipient;
  readonly tokenHash: string;
  readonly now: string;
}

/**
 * Stores the hash of a (ticket, recipient) pair's token once; a repeat with the same hash does
 * nothing, so parallel notifications of one ticket to one member cannot collide.
 */
export async function insertReplyAddress(scope: TenantScope, r: NewReplyAddressRow): Promise<void> {
  await scope
    .insertInto('reply_address', {
      id: r.id,
      ticket_id: r.ticketId,
      recipient_kind: r.recipient.kind,
      recipient_id: r.recipient.id,
      token_hash: r.tokenHash,
      notified_until: null,
      created_at: r.now,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
}

/**
 * Points the (ticket, recipient) pair at a new hash. Only needed after APP_SECRET changed: the pair
 * then derives a different token, and the old address (in mail sent before) stops routing.
 */
export async function updateReplyAddressHash(
  scope: TenantScope,
  pair: { readonly ticketId: string; readonly recipient: ReplyRecipient; readonly tokenHash: string },
): Promise<boolean> {
  const result = await scope
    .updateTable('reply_address')
    .set({ token_hash: pair.tokenHash })
    .where('reply_address.ticket_id', '=', pair.ticketId)
    .where('reply_address.recipient_kind', '=', pair.recipient.kind)
    .where('reply_address.recipient_id', '=', pair.recipient.id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The reply address with this token hash, within the scope's tenant. */
export async function findReplyAddressByHash(scope: TenantScope, tokenHash: string): Promise<ReplyAddress | undefined> {
  const row = await scope.selectFrom('reply_address').selectAll().where('reply_address.token_hash', '=', tokenHash).executeTakeFirst();
  return row && toReplyAddress(row);
}

/** The reply address with this id, within the scope's tenant (inbound mail names the address it came to). */
export async function findReplyAddressById(scope: TenantScope, id: string): Promise<ReplyAddress | undefined> {
  const row = await scope.selectFrom('reply_address').selectAll().where('reply_address.id', '=', id).executeTakeFirst();
  return row && toReplyAddress(row);
}

/** The reply address of a (ticket, recipient) pair, within the scope's tenant. */
export async function findReplyAddressOfPair(
  scope: TenantScope,
  pair: { readonly ticketId: string; readonly recipient: ReplyRecipient },
): Promise<(ReplyAddress & { readonly tokenHash: string }) | undefined> {
  const row = await scope
    .selectFrom('reply_address')
    .selectAll()
    .where('reply_address.ticket_id', '=', pair.ticketId)
    .where('reply_address.recipient_kind', '=', pair.recipient.kind)
    .where('reply_address.recipient_id', '=', pair.recipient.id)
    .executeTakeFirst();
  return row && { ...toReplyAddress(row), tokenHash: row.token_hash };
}

/**
 * The reply address with this token hash in any tenant: inbound mail arrives with no tenant but
 * the token, which names it (cross-tenant.repository); the address is read through that scope.
 */
export async function findReplyTargetByHash(db: Executor, tokenHash: string): Promise<ReplyAddress | undefined> {
  const tenantId = await findTenantOfReplyAddress(db, tokenHash);
  if (tenantId === undefined) return undefined;
  const scope = forTenant(db, tenantId);
  const row = await scope.selectFrom('reply_address').selectAll().where('reply_address.token_hash', '=', tokenHash).executeTakeFirst();
  return row && toReplyAddress(row);
}

/** When the newest customer message the pair's member was emailed about was written; null: none yet. */
export async function findNotifiedUntil(
  scope: TenantScope,
  pair: { readonly ticketId: string; readonly recipient: ReplyRecipient },
): Promise<string | null> {
  const row = await scope
    .selectFrom('reply_address')
    .select('reply_address.notified_until')
    .where('reply_address.ticket_id', '=', pair.ticketId)
    .where('reply_address.recipient_kind', '=', pair.recipient.kind)
    .where('reply_address.recipient_id', '=', pair.recipient.id)
    .executeTakeFirst();
  return row?.notified_until ?? null;
}

/**
 * Moves the pair's mark from `from` to `to` only if it is still `from` (compare and set): of two
 * notification jobs racing for the same messages, one wins and the other sends nothing.
 */
export async function moveNotifiedUntil(
  scope: TenantScope,
  pair: { readonly ticketId: string; readonly recipient: ReplyRecipient },
  from: string | null,
  to: string | null,
): Promise<boolean> {
  const result = await scope
    .updateTable('reply_address')
    .set({ notified_until: to })
    .where('reply_address.ticket_id', '=', pair.ticketId)
    .where('reply_address.recipient_kind', '=', pair.recipient.kind)
    .where('reply_address.recipient_id', '=', pair.recipient.id)
    .where('reply_address.notified_until', from === null ? 'is' : '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
