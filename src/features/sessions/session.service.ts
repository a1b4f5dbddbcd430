import type { Config } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import * as repo from './session.repository.js';
import type { Session, SessionAudience } from './session.repository.js';

export type { Session, SessionAudience } from './session.repository.js';

export interface SessionLifetimes {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/** The secret of a new session (only its hash is stored) and when it ends at the latest. */
export interface OpenedSession {
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * A session cookie to look up. A portal cookie is looked up in the request's tenant (a cookie of
 * another tenant's portal is simply not found); a team cookie names no tenant (`tenantId` absent):
 * it is found by its unique hash, and the session found names the tenant.
 */
export interface SessionKey {
  readonly audience: SessionAudience;
  readonly token: string;
  readonly tenantId?: string;
}

/** Sliding the idle expiry costs a write, so it is refreshed at most once a minute per session. */
const TOUCH_INTERVAL_MS = 60_000;

/** The configured idle and absolute lifetimes of one audience's sessions. */
export function sessionLifetimesOf(config: Config, audience: SessionAudience): SessionLifetimes {
  return audience === 'portal'
    ? { idleMs: config.sessions.portalIdleMs, absoluteMs: config.sessions.portalAbsoluteMs }
    : { idleMs: config.teamAuth.sessionIdleMs, absoluteMs: config.teamAuth.sessionAbsoluteMs };
}

/**
 * Opens a session for a subject (a contact, or a membership) in the scope's tenant and returns its
 * secret. A new id on every sign-in: the browser's previous session of this tenant, if any, is
 * revoked, never promoted. Runs inside the caller's transaction when `scope` is one.
 */
export async function openSession(
  scope: TenantScope,
  clock: Clock,
  input: {
    readonly audience: SessionAudience;
    readonly subjectId: string;
    readonly lifetimes: SessionLifetimes;
    readonly meta: RequestMeta;
    readonly previousToken?: string;
  },
): Promise<OpenedSession> {
  const now = clock.now();
  if (input.previousToken) await repo.revokeSessionByHash(scope, hashToken(input.previousToken), input.audience, toDbTime(now));
  const token = generateToken();
  const absolute = new Date(now.getTime() + input.lifetimes.absoluteMs);
  await repo.insertSession(scope, {
    id: newId(now.getTime()),
    audience: input.audience,
    subjectId: input.subjectId,
    tokenHash: hashToken(token),
    now: toDbTime(now),
    idleExpiresAt: toDbTime(new Date(Math.min(now.getTime() + input.lifetimes.idleMs, absolute.getTime()))),
    absoluteExpiresAt: toDbTime(absolute),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt: absolute };
}

/**
 * Resolves a session cookie to its live session and its subject as it is now. `subjectOf` is the
 * audience's own rule (an active contact of an existing client; an active member of an active
 * tenant) and runs on every request, so revoking a subject ends its access at once. Only a session
 * whose subject passes has its idle expiry slid forward. Undefined for anything else.
 */
export async function resolveSession<T>(
  ctx: AppContext,
  key: SessionKey,
  lifetimes: SessionLifetimes,
  subjectOf: (session: Session) => Promise<T | undefined>,
): Promise<{ session: Session; subject: T } | undefined> {
  const now = ctx.clock.now();
  const session = await findLive(ctx, key, toDbTime(now));
  if (!session) return undefined;
  const subject = await subjectOf(session);
  if (subject === undefined) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + lifetimes.idleMs, session.absoluteExpiresAt.getTime());
    await repo.touchSession(forTenant(ctx.db, session.tenantId), session.id, toDbTime(now), toDbTime(new Date(idle)));
  }
  return { session, subject };
}

/** Ends one session (sign out); an unknown, expired or already revoked cookie is a no-op. */
export async function endSession(ctx: AppContext, key: SessionKey): Promise<void> {
  const now = toDbTime(ctx.clock.now());
  if (key.tenantId !== undefined) {
    await repo.revokeSessionByHash(forTenant(ctx.db, key.tenantId), hashToken(key.token), key.audience, now);
    return;
  }
  const session = await findLive(ctx, key, now);
  if (session) await repo.revokeSession(forTenant(ctx.db, session.tenantId), session.id, now);
}

/** Ends every session of one subject in the scope's tenant (sign out everywhere, access revoked); inside the caller's transaction. */
export async function endAllSessions(scope: TenantScope, clock: Clock, audience: SessionAudience, subjectId: string): Promise<number> {
  return repo.revokeSessionsOfSubject(scope, audience, subjectId, toDbTime(clock.now()));
}

async function findLive(ctx: AppContext, key: SessionKey, now: string): Promise<Session | undefined> {
  const tokenHash = hashToken(key.token);
  return key.tenantId !== undefined
    ? repo.findLiveSession(forTenant(ctx.db, key.tenantId), tokenHash, key.audience, now)
    : repo.findLiveSessionInAnyTenant(ctx.db, tokenHash, key.audience, now);
}

/** Ends every session in the scope's tenant, portal and team alike (the organisation is suspended). */
export async function endAllSessionsOfTenant(scope: TenantScope, clock: Clock): Promise<number> {
  return repo.revokeAllSessionsOfTenant(scope, toDbTime(clock.now()));
}
