import { canonicaliseEmail, parseEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { type AccountMembership, findTeamMemberById, listMembershipsOfAccount, type TeamMember } from '../team/team.service.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { verifyNothing, verifyPassword } from './password-hashing.js';
import { verifySecondFactor } from './team-second-factor.service.js';
import { assertNotLocked, clearSignInFailures, recordSignInFailure, throttleKeyOf } from './sign-in-throttle.service.js';
import * as accountRepo from './team-account.repository.js';
import type { TeamAuthContext } from './team-auth-context.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { openTeamSession, type TeamIdentity } from '../sessions/team-session.service.js';

export interface TeamSignedIn {
  readonly sessionToken: string;
  readonly expiresAt: Date;
  readonly member: TeamMember;
  readonly tenant: { readonly id: string; readonly slug: string; readonly name: string };
  /** The memberships this account may switch to (active, in active organisations). */
  readonly memberships: readonly AccountMembership[];
}

export interface TeamSignInInput {
  readonly email: string;
  readonly password: string;
  readonly totp?: string | undefined;
  /** The organisation to open, when the person belongs to several; else the first by name. */
  readonly tenantId?: string | undefined;
}

/** Memberships that can be signed in to: active, in an active organisation. */
export function usableMemberships(memberships: readonly AccountMembership[]): AccountMembership[] {
  return memberships.filter((m) => m.status === 'active' && m.tenantStatus === 'active');
}

/**
 * Checks email, password and (when on) the second factor, with the lockout around them, and
 * returns the account with its memberships. Unknown email, wrong password and no password yet
 * all answer SIGN_IN_FAILED after the same argon2 work (a dummy verification when there is
 * nothing to verify), and all count towards the lockout of that email. With `requireMembership`,
 * an account without an active membership in an active organisation fails the same way.
 * @throws ACCOUNT_LOCKED, SIGN_IN_FAILED, TOTP_REQUIRED, TOTP_INVALID
 */
export async function authenticateTeamAccount(
  ctx: TeamAuthContext,
  input: TeamSignInInput,
  meta: RequestMeta,
  options: { requireMembership: boolean },
): Promise<{ accountId: string; memberships: AccountMembership[] }> {
  const canonical = canonicaliseEmail(input.email).slice(0, 320);
  const key = throttleKeyOf(canonical);
  await assertNotLocked(ctx, key);

  const email = parseEmail(canonical);
  const found = email ? await accountRepo.findAccountByEmail(ctx.db, email) : undefined;
  const passwordOk = found?.secrets.passwordHash
    ? await verifyPassword(found.secrets.passwordHash, input.password)
    : await verifyNothing(input.password, ctx.argon2);
  const memberships = found ? await listMembershipsOfAccount(ctx.db, found.account.id) : [];

  const fail = async (reason: string, code: 'SIGN_IN_FAILED' | 'TOTP_INVALID'): Promise<never> => {
    const { lockedUntil } = await recordSignInFailure(ctx, key);
    // The organisations of a known account see attempts on their member; unknown emails are installation-wide.
    const targets = memberships.length > 0 ? memberships.map((m) => ({ tenantId: m.tenantId, memberId: m.memberId })) : [null];
    for (const target of targets) {
      await recordAuditEvent(ctx.db, ctx.clock, {
        tenantId: target?.tenantId ?? null,
        actor: target ? { kind: 'team_member', id: target.memberId } : { kind: 'system' },
        action: lockedUntil ? 'team.sign_in.locked' : 'team.sign_in.failed',
        data: { reason, emailKey: key.slice(0, 12), ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    throw new AppError(code);
  };

  if (!found || !passwordOk) return fail(found ? 'password' : 'unknown_email', 'SIGN_IN_FAILED');
  if (options.requireMembership && usableMemberships(memberships).length === 0) return fail('no_active_membership', 'SIGN_IN_FAILED');
  if (found.account.totpEnabled) {
    // The password was right: asking for the second factor is not a failure.
    if (!input.totp?.trim()) throw new AppError('TOTP_REQUIRED');
    if (!(await verifySecondFactor(ctx, found.account.id, found.secrets, input.totp))) return fail('totp', 'TOTP_INVALID');
  }
  await clearSignInFailures(ctx, key);
  return { accountId: found.account.id, memberships };
}

/**
 * Signs a team member in (see `authenticateTeamAccount`) and opens a session for one membership:
 * the one asked for, else the first by organisation name.
 * @throws ACCOUNT_LOCKED, SIGN_IN_FAILED, TOTP_REQUIRED, TOTP_INVALID
 */
export async function signInTeamMember(
  ctx: TeamAuthContext,
  input: TeamSignInInput,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<TeamSignedIn> {
  const { memberships } = await authenticateTeamAccount(ctx, input, meta, { requireMembership: true });
  const usable = usableMemberships(memberships);
  const chosen = usable.find((m) => m.tenantId === input.tenantId) ?? usable[0]!;
  return openMembershipSession(ctx, chosen, usable, meta, previousToken, 'team.sign_in.succeeded');
}

/** Opens a session for a membership just made active (an accepted invitation). */
export async function openSessionForMember(
  ctx: TeamAuthContext,
  accountId: string,
  memberId: string,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<TeamSignedIn> {
  const usable = usableMemberships(await listMembershipsOfAccount(ctx.db, accountId));
  const target = usable.find((m) => m.memberId === memberId);
  if (!target) throw new AppError('SIGN_IN_FAILED');
  return openMembershipSession(ctx, target, usable, meta, previousToken, 'team.sign_in.succeeded');
}

/**
 * Opens a session for another of the signed-in person's memberships (the tenant switcher); the
 * current session is revoked. A tenant where the account has no active membership is 404.
 * @throws NOT_FOUND
 */
export async function switchTeamTenant(
  ctx: TeamAuthContext,
  accountId: string,
  tenantId: string,
  meta: RequestMeta,
  currentToken: string | undefined,
): Promise<TeamSignedIn> {
  const usable = usableMemberships(await listMembershipsOfAccount(ctx.db, accountId));
  const target = usable.find((m) => m.tenantId === tenantId);
  if (!target) throw new AppError('NOT_FOUND');
  return openMembershipSession(ctx, target, usable, meta, currentToken, 'team.tenant_switched');
}

async function openMembershipSession(
  ctx: TeamAuthContext,
  membership: AccountMembership,
  usable: readonly AccountMembership[],
  meta: RequestMeta,
  previousToken: string | undefined,
  action: string,
): Promise<TeamSignedIn> {
  const member = await findTeamMemberById(forTenant(ctx.db, membership.tenantId), membership.memberId);
  if (!member) throw new AppError('NOT_FOUND');
  const session = await openTeamSession(ctx, member, ctx.lifetimes, meta, previousToken);
  await recordAuditEvent(ctx.db, ctx.clock, {
    tenantId: member.tenantId,
    actor: { kind: 'team_member', id: member.id },
    action,
    subject: { kind: 'team_member', id: member.id },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return {
    sessionToken: session.token,
    expiresAt: session.expiresAt,
    member,
    tenant: { id: membership.tenantId, slug: membership.tenantSlug, name: membership.tenantName },
    memberships: usable,
  };
}

/** What GET /api/team/me shows: the viewer, the organisations to switch to, and whether TOTP is on. */
export async function describeTeamSession(
  ctx: TeamAuthContext,
  identity: TeamIdentity,
): Promise<{ member: TeamMember; memberships: AccountMembership[]; totpEnabled: boolean }> {
  const [memberships, found] = await Promise.all([
    listMembershipsOfAccount(ctx.db, identity.accountId),
    accountRepo.findAccountById(ctx.db, identity.accountId),
  ]);
  return { member: identity.member, memberships: usableMemberships(memberships), totpEnabled: found?.account.totpEnabled ?? false };
}
