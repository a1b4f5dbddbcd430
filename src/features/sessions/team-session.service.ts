import type { AppContext } from '../../platform/context.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import { extendSession, recordSession } from './portal-session.service.js';
import { findTeamMemberById, listMembershipsOfAccount, type TeamMember } from '../team/team.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { findTenantById } from '../tenants/tenant.service.js';
import * as repo from './team-session.repository.js';

export interface TeamSessionLifetimes {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** A signed-in team member: the viewer contract plus what only sign-in itself needs. */
export interface TeamIdentity {
  readonly sessionId: string;
  readonly accountId: string;
  readonly viewer: TeamViewer;
  readonly member: TeamMember;
}

/** Sliding the idle expiry costs a write, so it is refreshed at most once a minute per session. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Opens a team session for one membership and returns its secret (only the hash is stored). A new
 * id on every sign-in or switch; the browser's previous session, if any, is revoked, never promoted.
 */
export async function openTeamSession(
  ctx: AppContext,
  member: Pick<TeamMember, 'id' | 'tenantId'>,
  lifetimes: TeamSessionLifetimes,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  if (previousToken) await repo.revokeTeamSessionByHash(ctx.db, hashToken(previousToken), toDbTime(now));
  const token = generateToken();
  const absolute = new Date(now.getTime() + lifetimes.absoluteMs);
  await recordSession(forTenant(ctx.db, member.tenantId), {
    id: newId(now.getTime()),
    audience: 'team',
    subjectId: member.id,
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
 * Resolves a team session cookie. The tenant's status, the membership's status and its role are
 * re-read on every request, so suspending a tenant, disabling a member or changing a role takes
 * effect at once. Undefined for anything but a live session of an active member of an active tenant.
 */
export async function resolveTeamSession(
  ctx: AppContext,
  token: string,
  lifetimes: TeamSessionLifetimes,
): Promise<TeamIdentity | undefined> {
  const now = ctx.clock.now();
  const session = await repo.findLiveTeamSession(ctx.db, hashToken(token), toDbTime(now));
  if (!session) return undefined;
  const tenant = await findTenantById(ctx.db, session.tenantId);
  if (!tenant || tenant.status !== 'active') return undefined;
  const scope = forTenant(ctx.db, tenant.id);
  const member = await findTeamMemberById(scope, session.memberId);
  if (!member || member.status !== 'active') return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + lifetimes.idleMs, session.absoluteExpiresAt.getTime());
    await extendSession(scope, session.id, toDbTime(now), toDbTime(new Date(idle)));
  }
  return {
    sessionId: session.id,
    accountId: member.accountId,
    member,
    viewer: { tenant, memberId: member.id, name: member.name, email: member.email, role: member.role },
  };
}

/** Ends one team session (sign out). */
export async function endTeamSession(ctx: AppContext, token: string): Promise<void> {
  await repo.revokeTeamSessionByHash(ctx.db, hashToken(token), toDbTime(ctx.clock.now()));
}

/** Ends every team session of a person, in every organisation (password reset). */
export async function endAllTeamSessionsOfAccount(ctx: AppContext, accountId: string): Promise<number> {
  const now = toDbTime(ctx.clock.now());
  let ended = 0;
  for (const membership of await listMembershipsOfAccount(ctx.db, accountId)) {
    ended += await repo.revokeTeamSessionsOfMember(forTenant(ctx.db, membership.tenantId), membership.memberId, now);
  }
  return ended;
}

/** Ends every session of one membership (it was disabled). */
export async function endTeamSessionsOfMember(ctx: AppContext, tenantId: string, memberId: string): Promise<number> {
  return repo.revokeTeamSessionsOfMember(forTenant(ctx.db, tenantId), memberId, toDbTime(ctx.clock.now()));
}
