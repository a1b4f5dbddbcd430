import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { findContactById, setContactEmailUpdates } from '../clients/client.service.js';

/**
 * One-click unsubscribe from a contact's non-essential ticket emails (RFC 8058). The link's token
 * is `{contactId}.{mac}`, the mac being HMAC-SHA256(APP_SECRET, tenant + contact), base64url: it
 * needs no table, never expires (an unsubscribe link must keep working in old emails), and it
 * names nothing but a contact id, which is useless without the secret. The tenant is the portal's
 * (slug or custom domain), never part of the token, so a link of one organisation is refused by
 * another exactly like a forged one.
 */

const CONTACT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** 32 bytes, base64url without padding. */
const MAC = /^[A-Za-z0-9_-]{43}$/;

function macOf(appSecret: string, tenantId: string, contactId: string): Buffer {
  return createHmac('sha256', appSecret).update(`unsubscribe:v1:${tenantId}:${contactId}`, 'utf8').digest();
}

/** The token of a contact's unsubscribe link. */
export function deriveUnsubscribeToken(appSecret: string, tenantId: string, contactId: string): string {
  return `${contactId}.${macOf(appSecret, tenantId, contactId).toString('base64url')}`;
}

/** `{portalUrl}/unsubscribe?token=…`: the `List-Unsubscribe` target and the confirm page's address. */
export function unsubscribeUrlOf(portalUrl: string, token: string): string {
  return `${portalUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/**
 * The contact id a token was made for in this tenant, or undefined: one answer for a malformed
 * token, a wrong mac and another tenant's token. The mac is compared in constant time.
 */
export function verifyUnsubscribeToken(appSecret: string, tenantId: string, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot < 0) return undefined;
  const contactId = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (!CONTACT_ID.test(contactId) || !MAC.test(mac)) return undefined;
  const expected = macOf(appSecret, tenantId, contactId);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return contactId;
}

export interface UnsubscribeContext extends AppContext {
  readonly appSecret: string;
}

/**
 * What the confirm page shows: whether the link is good and whether updates are already off. The
 * page names no email address: whoever holds the link may not be its owner.
 * @throws UNSUBSCRIBE_LINK_INVALID (malformed, forged, another organisation's, or a deleted contact's)
 */
export async function checkUnsubscribeLink(ctx: UnsubscribeContext, tenantId: string, token: string): Promise<{ alreadyOff: boolean }> {
  const contactId = verifyUnsubscribeToken(ctx.appSecret, tenantId, token);
  const contact = contactId ? await findContactById(forTenant(ctx.db, tenantId), contactId) : undefined;
  if (!contact) throw new AppError('UNSUBSCRIBE_LINK_INVALID');
  return { alreadyOff: contact.emailUpdatesOffAt !== null };
}

/**
 * Stops the contact's non-essential ticket emails at once (the one-click POST). Doing it twice is
 * harmless and keeps the first time. Sign-in, quote and reply emails are not affected.
 * @throws UNSUBSCRIBE_LINK_INVALID
 */
export async function unsubscribeByToken(ctx: UnsubscribeContext, tenantId: string, token: string): Promise<void> {
  const contactId = verifyUnsubscribeToken(ctx.appSecret, tenantId, token);
  if (!contactId) throw new AppError('UNSUBSCRIBE_LINK_INVALID');
  await forTenant(ctx.db, tenantId).transaction(async (scope) => {
    if (!(await findContactById(scope, contactId))) throw new AppError('UNSUBSCRIBE_LINK_INVALID');
    await setContactEmailUpdates(scope, ctx.clock, contactId, false);
  });
}
