import { createHmac } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { hashToken } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import * as repo from './reply-address.repository.js';
import type { ReplyAddress, ReplyRecipient } from './reply-address.repository.js';

export type { ReplyAddress, ReplyRecipient } from './reply-address.repository.js';

/**
 * Reply-To addresses unique to (ticket, recipient): `reply+<token>@INBOUND_DOMAIN`, where the
 * token is 128 bits of HMAC-SHA256(APP_SECRET, tenant + ticket + recipient), base64url. Deriving
 * it (rather than drawing it at random) gives the same pair the same address in every
 * notification although only the token's SHA-256 is stored (SECURITY.md §6).
 */

/** 16 bytes of base64url, without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const LOCAL_PREFIX = 'reply+';

/** A ticket and who its replies come from: a team member (their notifications) or a contact (theirs). */
export type ReplyPair =
  { readonly ticketId: string; readonly memberId: string } | { readonly ticketId: string; readonly contactId: string };

function recipientOf(pair: ReplyPair): ReplyRecipient {
  return 'memberId' in pair ? { kind: 'team_member', id: pair.memberId } : { kind: 'contact', id: pair.contactId };
}

/** The opaque token of a (ticket, team member) pair of a tenant: the first 128 bits of the HMAC, base64url. */
export function deriveReplyToken(appSecret: string, tenantId: string, pair: ReplyPair): string {
  return createHmac('sha256', appSecret)
    .update(`reply-address:${tenantId}:${pair.ticketId}:${recipientOf(pair).kind}:${recipientOf(pair).id}`, 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The address carrying a token, `reply+<token>@<inboundDomain>`. */
export function formatReplyAddress(token: string, inboundDomain: string): string {
  return `${LOCAL_PREFIX}${token}@${inboundDomain}`;
}

/**
 * The token of one of our reply addresses, or undefined when the address is not one. The token
 * is case-sensitive, so the local part is taken as written; only the domain is compared
 * case-insensitively.
 */
export function parseReplyAddress(address: string, inboundDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== inboundDomain.toLowerCase()) return undefined;
  const local = address.slice(0, at);
  if (local.slice(0, LOCAL_PREFIX.length).toLowerCase() !== LOCAL_PREFIX) return undefined;
  const token = local.slice(LOCAL_PREFIX.length);
  return TOKEN_PATTERN.test(token) ? token : undefined;
}

/**
 * The reply address of a team member for a ticket of the scope's tenant; its hash is stored the
 * first time and reused after. Safe to call in parallel and again on a retried job. Throws a
 * database error when the ticket is not the tenant's (composite foreign key).
 */
export async function ensureReplyAddress(
  scope: TenantScope,
  clock: Clock,
  appSecret: string,
  inboundDomain: string,
  pair: ReplyPair,
): Promise<string> {
  const token = deriveReplyToken(appSecret, scope.tenantId, pair);
  const tokenHash = hashToken(token);
  const recipient = recipientOf(pair);
  const stored = await repo.findReplyAddressOfPair(scope, { ticketId: pair.ticketId, recipient });
  if (!stored) {
    const now = clock.now();
    await repo.insertReplyAddress(scope, {
      id: newId(now.getTime()),
      ticketId: pair.ticketId,
      recipient,
      tokenHash,
      now: toDbTime(now),
    });
  } else if (stored.tokenHash !== tokenHash) {
    // APP_SECRET was rotated: the pair now derives another token, and the row follows it so that
    // the address in this email routes (addresses mailed under the old secret stop routing).
    await repo.updateReplyAddressHash(scope, { ticketId: pair.ticketId, recipient, tokenHash });
  }
  return formatReplyAddress(token, inboundDomain);
}

/** The reply address a token names, if it belongs to the scope's tenant (for inbound mail once its tenant is known). */
export async function findReplyAddressByToken(scope: TenantScope, token: string): Promise<ReplyAddress | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return repo.findReplyAddressByHash(scope, hashToken(token));
}

/**
 * The tenant, ticket and recipient a reply token routes to, in any tenant: inbound mail arrives
 * without tenant context and the token is what names it. Undefined for unknown or malformed
 * tokens, which inbound mail drops silently (SECURITY.md §6).
 */
export async function findReplyTarget(db: Executor, token: string): Promise<ReplyAddress | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return repo.findReplyTargetByHash(db, hashToken(token));
}

export { findNotifiedUntil, findReplyAddressById, moveNotifiedUntil } from './reply-address.repository.js';
