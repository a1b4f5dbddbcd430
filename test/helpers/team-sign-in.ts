import type { LightMyRequestResponse } from 'fastify';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { findTeamAccountById, setTeamAccountPassword } from '../../src/features/auth/team-account.service.js';
import { sessionCookieName } from '../../src/http/session-cookie.js';
import { sessionLifetimesOf } from '../../src/features/sessions/session.service.js';
import { openTeamSession } from '../../src/features/sessions/team-session.service.js';
import type { TestApp } from './test-app.js';

/**
 * Team sign-in for tests. `teamCookieFor` opens a real session through the session service (the
 * same rows and checks as a sign-in, without the password round trip); the team API then
 * re-reads tenant, membership status and role on every request, as it does for a browser.
 */

/** The `Cookie` header value (`servelo_team=…`) of a new team session for this membership. */
export async function teamCookieFor(t: TestApp, tenantId: string, memberId: string): Promise<string> {
  const { token } = await openTeamSession(
    t.deps,
    { id: memberId, tenantId },
    sessionLifetimesOf(t.config, 'team'),
    { ip: null, userAgent: null },
    undefined,
  );
  return `${sessionCookieName(t.config, 'team')}=${token}`;
}

/** An active member with a password (a new account, or the existing account of that email) and a signed-in cookie. */
export async function createTeamMemberWithPassword(
  t: TestApp,
  tenantId: string,
  input: { email: string; name: string; role: TeamMember['role']; password: string },
): Promise<{ member: TeamMember; cookie: string }> {
  const member = await addTeamMember(t.deps, tenantId, { email: input.email, name: input.name, role: input.role });
  const account = await findTeamAccountById(t.deps.db, member.accountId);
  if (!account) throw new Error('the member has no account');
  await setTeamAccountPassword(t.deps, account, input.password, t.config.teamAuth.argon2);
  return { member, cookie: await teamCookieFor(t, tenantId, member.id) };
}

/** `name=value` of the team session cookie a response set, for the next request's Cookie header. */
export function teamCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'servelo_team' || c.name === '__Host-servelo_team');
  if (!cookie?.value) throw new Error(`no team session cookie was set (status ${res.statusCode}: ${res.body})`);
  return `${cookie.name}=${cookie.value}`;
}
