import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { hashToken, safeEqual } from '../../platform/crypto.js';
import { parseEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { recordAggregatedAuditEvent, recordAuditEvent } from '../audit/audit.service.js';
import { findClientOfContact, findContactByEmail, findContactById } from '../clients/client.service.js';
import type { TLinkInfoResponse } from './portal-auth.schemas.js';
import { maskEmail } from './portal-auth.presenter.js';
import * as tokens from './login-token.repository.js';
import type { LoginToken } from './login-token.repository.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { resolvePortalSession, type PortalIdentity } from '../sessions/portal-session.service.js';
import { openSession, type SessionLifetimes } from '../sessions/session.service.js';
import { codeHashOf, CODE_LENGTH, hashPrefix } from './portal-sign-in-link.service.js';

export const MAX_CODE_ATTEMPTS = 5;

/** What a browser sends along with a sign-in attempt. */
export interface SignInContext extends RequestMeta {
  readonly tenantId: string;
  /** The session cookie the browser already had, if any: revoked on sign-in (a new id every time). */
  readonly previousSessionToken: string | undefined;
  readonly lifetimes: SessionLifetimes;
}

export interface SignedIn {
  readonly sessionToken: string;
  readonly expiresAt: Date;
  readonly identity: PortalIdentity;
  readonly landingPath: string;
}

/**
 * Reads a link for the confirmation page without spending it: its state, the masked email it was
 * sent to, and whether this browser is signed in as someone else (the page then asks first) — or
 * as the very contact who already used it (the page then opens the portal).
 */
export async function describeLink(ctx: AppContext, s: SignInContext, token: string): Promise<TLinkInfoResponse> {
  const found = await tokens.findLoginTokenByHash(forTenant(ctx.db, s.tenantId), hashToken(token));
  const current = s.previousSessionToken ? await resolvePortalSession(ctx, s.tenantId, s.previousSessionToken, s.lifetimes) : undefined;
  const signedInAs = current && found && current.contact.id !== found.contactId ? maskEmail(current.contact.email) : null;
  if (!found) return { state: 'invalid', maskedEmail: null, signedInAs: null, landingPath: null };
  const state = stateOf(found, ctx.clock.now());
  // Re-opened in the browser its contact signed in with: nothing to explain, the portal is open.
  if (state === 'used' && current?.contact.id === found.contactId) {
    return { state: 'signed_in', maskedEmail: maskEmail(found.email), signedInAs: null, landingPath: found.landingPath };
  }
  return { state, maskedEmail: maskEmail(found.email), signedInAs, landingPath: null };
}

function stateOf(token: LoginToken, now: Date): 'valid' | 'used' | 'expired' {
  if (token.consumedAt) return 'used';
  // A revoked link was replaced by a newer one: to the customer, it has expired.
  if (token.revokedAt || token.expiresAt <= now) return 'expired';
  return 'valid';
}

/**
 * Spends a sign-in link (the POST from the confirmation page) and opens a session.
 * @throws LINK_INVALID for unknown, other-tenant, used, expired or revoked links, and when the
 *   contact was disabled or its email changed since the link was sent
 */
export async function confirmSignIn(ctx: AppContext, s: SignInContext, token: string): Promise<SignedIn> {
  const tokenHash = hashToken(token);
  const scope = forTenant(ctx.db, s.tenantId);
  // The spend commits on its own: a failure after it (audited) leaves the link spent, never reusable.
  const spent = await tokens.spendLoginToken(scope, { tokenHash }, toDbTime(ctx.clock.now()));
  if (!spent) {
    const found = await tokens.findLoginTokenByHash(scope, tokenHash);
    const reason = !found ? 'unknown' : found.consumedAt ? 'used' : found.revokedAt ? 'revoked' : 'expired';
    await countFailure(scope, ctx, s, reason === 'expired' ? 'auth.link.expired' : 'auth.link.failed', found, reason);
    throw new AppError('LINK_INVALID');
  }
  return finishSignIn(scope, ctx, s, spent, 'auth.link.spent', 'LINK_INVALID');
}

/**
 * Signs in with the one-time code of the newest open link. Every attempt counts; after the fifth
 * wrong one the link's code accepts nothing more — but the emailed link itself still works: a
 * stranger who knows only the address must not be able to take the customer's link away.
 * @throws CODE_INVALID for any failure (unknown email, no open link, wrong or burned code)
 */
export async function signInWithCode(ctx: AppContext, s: SignInContext, rawEmail: string, rawCode: string): Promise<SignedIn> {
  const email = parseEmail(rawEmail);
  const code = rawCode.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const now = toDbTime(ctx.clock.now());
  const scope = forTenant(ctx.db, s.tenantId);
  const contact = email ? await findContactByEmail(scope, email) : undefined;
  const open = contact && contact.status === 'active' ? await tokens.findOpenTokenOfContact(scope, contact.id, now) : undefined;
  if (!open) throw new AppError('CODE_INVALID');
  const attempts = await tokens.countCodeAttempt(scope, open.id, MAX_CODE_ATTEMPTS);
  if (attempts === undefined) throw new AppError('CODE_INVALID');
  if (code.length !== CODE_LENGTH || !safeEqual(codeHashOf(open.id, code), open.codeHash)) {
    if (attempts >= MAX_CODE_ATTEMPTS) {
      await audit(scope, ctx, s, 'auth.code.burned', open, open.tokenHash, { attempts });
    } else {
      await countFailure(scope, ctx, s, 'auth.code.failed', open, 'wrong_code');
    }
    throw new AppError('CODE_INVALID');
  }
  const spent = await tokens.spendLoginToken(scope, { id: open.id }, now);
  if (!spent) throw new AppError('CODE_INVALID');
  return finishSignIn(scope, ctx, s, spent, 'auth.code.spent', 'CODE_INVALID');
}

/** Re-checks every binding of a spent token, then opens the session. */
async function finishSignIn(
  scope: TenantScope,
  ctx: AppContext,
  s: SignInContext,
  spent: LoginToken,
  action: string,
  failure: 'LINK_INVALID' | 'CODE_INVALID',
): Promise<SignedIn> {
  const contact = await findContactById(scope, spent.contactId);
  const client = contact ? await findClientOfContact(scope, contact) : undefined;
  if (!contact || !client || contact.status !== 'active' || contact.email !== spent.email) {
    const reason = !contact || !client || contact.status !== 'active' ? 'contact_inactive' : 'email_changed';
    await audit(scope, ctx, s, 'auth.link.failed', spent, spent.tokenHash, { reason });
    throw new AppError(failure);
  }
  const session = await scope.transaction(async (trx) => {
    const opened = await openSession(trx, ctx.clock, {
      audience: 'portal',
      subjectId: contact.id,
      lifetimes: s.lifetimes,
      meta: s,
      previousToken: s.previousSessionToken,
    });
    await audit(trx, ctx, s, action, spent, spent.tokenHash, {});
    return opened;
  });
  const identity = await resolvePortalSession(ctx, s.tenantId, session.token, s.lifetimes);
  if (!identity) throw new AppError(failure);
  return { sessionToken: session.token, expiresAt: session.expiresAt, identity, landingPath: spent.landingPath };
}

/**
 * A failed attempt is counted, not logged each time (SECURITY.md §8): one entry per tenant,
 * address, reason and hour, so a script hammering a used link or guessing codes adds to a count.
 * Unknown tokens have no address: they share one entry per tenant and hour.
 */
async function countFailure(
  scope: TenantScope,
  ctx: AppContext,
  s: SignInContext,
  action: string,
  token: LoginToken | undefined,
  reason: string,
): Promise<void> {
  const address = token?.email ?? null;
  await recordAggregatedAuditEvent(scope, ctx.clock, {
    tenantId: s.tenantId,
    actor: token ? { kind: 'contact', id: token.contactId } : { kind: 'system' },
    action,
    data: { reason, address, ...(token ? { tokenHash: hashPrefix(token.tokenHash) } : {}) },
    sameWhen: [reason, address],
    ip: s.ip,
    userAgent: s.userAgent?.slice(0, 500) ?? null,
  });
}

async function audit(
  scope: TenantScope,
  ctx: AppContext,
  s: SignInContext,
  action: string,
  token: LoginToken | undefined,
  tokenHash: string,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(scope, ctx.clock, {
    tenantId: s.tenantId,
    actor: token ? { kind: 'contact', id: token.contactId } : { kind: 'system' },
    action,
    ...(token ? { subject: { kind: 'login_token', id: token.id } } : {}),
    data: { tokenHash: hashPrefix(tokenHash), ...data },
    ip: s.ip,
    userAgent: s.userAgent,
  });
}
