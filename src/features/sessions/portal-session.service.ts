import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import { type Client, type Contact, findClientOfContact, findContactById } from '../clients/client.service.js';
import * as repo from './session.repository.js';
import type { Session } from './session.repository.js';

/** A signed-in customer: the session and the contact and client as they are now. */
export interface PortalIdentity {
  readonly session: Session;
  readonly contact: Contact;
  readonly client: Client;
}

export interface SessionLifetimes {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** Sliding the idle expiry costs a write, so it is refreshed at most once a minute per session. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Opens a portal session for a contact and returns its secret (only its hash is stored). A new id
 * on every sign-in: the session a browser had before, if any, is revoked, never promoted.
 */
export async function openPortalSession(
  scope: TenantScope,
  ctx: AppContext,
  contactId: string,
  lifetimes: SessionLifetimes,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  if (previousToken) await repo.revokeSessionByHash(scope, hashToken(previousToken), toDbTime(now));
  const token = generateToken();
  const absolute = new Date(now.getTime() + lifetimes.absoluteMs);
  await repo.insertSession(scope, {
    id: newId(now.getTime()),
    audience: 'portal',
    subjectId: contactId,
    tokenHash: hashToken(token),
    now: toDbTime(now),
    idleExpiresAt: toDbTime(new Date(Math.min(now.getTime() + lifetimes.idleMs, absolute.getTime()))),
    absoluteExpiresAt: toDbTime(absolute),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt: absolute };
}

/**
 * Resolves a session cookie for this tenant's portal. The contact's status and client are re-read
 * on every request, so disabling a contact ends its access at once; a session of another tenant
 * is simply not found (the scope filters it out).
 */
export async function resolvePortalSession(
  ctx: AppContext,
  tenantId: string,
  token: string,
  lifetimes: SessionLifetimes,
): Promise<PortalIdentity | undefined> {
  const scope = forTenant(ctx.db, tenantId);
  const now = ctx.clock.now();
  const session = await repo.findLiveSession(scope, hashToken(token), 'portal', toDbTime(now));
  if (!session) return undefined;
  const contact = await findContactById(scope, session.subjectId);
  if (!contact || contact.status !== 'active') return undefined;
  const client = await findClientOfContact(scope, contact);
  if (!client) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + lifetimes.idleMs, session.absoluteExpiresAt.getTime());
    await repo.touchSession(scope, session.id, toDbTime(now), toDbTime(new Date(idle)));
  }
  return { session, contact, client };
}

/** Ends one session (sign out). */
export async function endSession(ctx: AppContext, tenantId: string, token: string): Promise<void> {
  await repo.revokeSessionByHash(forTenant(ctx.db, tenantId), hashToken(token), toDbTime(ctx.clock.now()));
}

/** Ends every portal session of a contact (sign out on all devices). */
export async function endAllSessionsOfContact(ctx: AppContext, tenantId: string, contactId: string): Promise<number> {
  return repo.revokeSessionsOfSubject(forTenant(ctx.db, tenantId), 'portal', contactId, toDbTime(ctx.clock.now()));
}

/**
 * The `session` table's rows for another sign-in (the team app's): written and extended through
 * the same repository as portal sessions, so one place knows the table.
 */
export async function recordSession(scope: TenantScope, input: Parameters<typeof repo.insertSession>[1]): Promise<void> {
  await repo.insertSession(scope, input);
}

export async function extendSession(scope: TenantScope, id: string, now: string, idleExpiresAt: string): Promise<void> {
  await repo.touchSession(scope, id, now, idleExpiresAt);
}

/** Ends every portal session of a contact inside the caller's transaction (its access was revoked). */
export async function revokePortalSessionsOfContact(scope: TenantScope, contactId: string, now: string): Promise<number> {
  return repo.revokeSessionsOfSubject(scope, 'portal', contactId, now);
}
