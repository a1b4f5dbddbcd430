import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { findTeamMemberById, listMembershipsOfAccount, type TeamMember } from '../team/team.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { endAllSessions, endSession, openSession, type OpenedSession, resolveSession, type SessionLifetimes } from './session.service.js';

/** A signed-in team member: the viewer contract plus what only sign-in itself needs. */
export interface TeamIdentity {
  readonly sessionId: string;
  readonly accountId: string;
  readonly viewer: TeamViewer;
  readonly member: TeamMember;
}

/**
 * Opens a team session for one membership. The browser's previous team session is ended wherever
 * it is: on a switch it belongs to another organisation than the new one.
 */
export async function openTeamSession(
  ctx: AppContext,
  member: Pick<TeamMember, 'id' | 'tenantId'>,
  lifetimes: SessionLifetimes,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<OpenedSession> {
  if (previousToken) await endSession(ctx, { audience: 'team', token: previousToken });
  return openSession(forTenant(ctx.db, member.tenantId), ctx.clock, { audience: 'team', subjectId: member.id, lifetimes, meta });
}

/**
 * Resolves a team session cookie. The tenant's status, the membership's status and its role are
 * re-read on every request, so suspending a tenant, disabling a member or changing a role takes
 * effect at once. Undefined for anything but a live session of an active member of an active tenant.
 */
export async function resolveTeamSession(ctx: AppContext, token: string, lifetimes: SessionLifetimes): Promise<TeamIdentity | undefined> {
  const found = await resolveSession(ctx, { audience: 'team', token }, lifetimes, async (session) => {
    const tenant = await findTenantById(ctx.db, session.tenantId);
    if (!tenant || tenant.status !== 'active') return undefined;
    const member = await findTeamMemberById(forTenant(ctx.db, tenant.id), session.subjectId);
    if (!member || member.status !== 'active') return undefined;
    return { tenant, member };
  });
  if (!found) return undefined;
  const { tenant, member } = found.subject;
  return {
    sessionId: found.session.id,
    accountId: member.accountId,
    member,
    viewer: { tenant, memberId: member.id, name: member.name, email: member.email, role: member.role },
  };
}

/** Ends every team session of a person, in every organisation (password reset). */
export async function endAllTeamSessionsOfAccount(ctx: AppContext, accountId: string): Promise<number> {
  let ended = 0;
  for (const membership of await listMembershipsOfAccount(ctx.db, accountId)) {
    ended += await endAllSessions(forTenant(ctx.db, membership.tenantId), ctx.clock, 'team', membership.memberId);
  }
  return ended;
}
