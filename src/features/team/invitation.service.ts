import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import {
  activateInvitedMember,
  addTeamMember,
  findInvitationByTokenHash,
  findTeamMemberByEmail,
  findTeamMemberById,
  renameTeamMember,
  storeInvitation,
  type TeamMember,
} from './team.service.js';
import { type TAddTeamMemberRequest, ZAddTeamMemberRequest } from './team.schemas.js';
import { requireTeamRole, type TeamViewer } from './team-viewer.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { checkPasswordStrength, hashPassword } from '../auth/password-hashing.js';
import { findTeamAccountById, renameTeamAccount, storeTeamAccountPasswordHash } from '../auth/team-account.service.js';
import { renderInvitationEmail } from '../auth/team-auth-email.js';
import type { TeamAuthContext } from '../auth/team-auth-context.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { authenticateTeamAccount, openSessionForMember, type TeamSignedIn } from '../auth/team-sign-in.service.js';

/** An invitation is valid for 7 days and works once; a newer one for the same membership replaces it. */
export const INVITATION_LIFETIME_MS = 7 * 86_400_000;
export const TEAM_INVITATION_JOB = 'team_auth.invitation';

const ZInvitationJob = z.object({ tenantId: z.string(), memberId: z.string(), invitedById: z.string().nullable() });

/**
 * Invites a teammate: the person's account (found or created without a password) gets an
 * `invited` membership, and the invitation email is queued. Inviting someone already invited
 * sends a new invitation (the old link stops working). Owners and admins only; only an owner
 * invites an owner.
 * @throws FORBIDDEN, VALIDATION_FAILED, EMAIL_TAKEN (already an active or disabled member)
 */
export async function inviteTeamMember(ctx: AppContext, viewer: TeamViewer, input: TAddTeamMemberRequest): Promise<TeamMember> {
  requireTeamRole(viewer, 'admin');
  const data = parseInput(ZAddTeamMemberRequest, input);
  if (data.role === 'owner') requireTeamRole(viewer, 'owner');
  const email = requireEmail(data.email);
  const scope = forTenant(ctx.db, viewer.tenant.id);
  return scope.transaction(async (trx) => {
    const existing = await findTeamMemberByEmail(trx, email);
    if (existing && existing.status !== 'invited') throw new AppError('EMAIL_TAKEN', 'This person is already a member of the team.');
    const actor = { kind: 'team_member' as const, id: viewer.memberId };
    const member = existing ?? (await addTeamMember({ db: trx, clock: ctx.clock }, viewer.tenant.id, data, actor, { status: 'invited' }));
    await enqueueJob(trx, ctx.clock, {
      kind: TEAM_INVITATION_JOB,
      tenantId: viewer.tenant.id,
      payload: { tenantId: viewer.tenant.id, memberId: member.id, invitedById: viewer.memberId },
    });
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: viewer.tenant.id,
      actor,
      action: 'team.invitation.sent',
      subject: { kind: 'team_member', id: member.id },
      data: { role: member.role, resent: existing !== undefined },
    });
    return member;
  });
}

export interface InvitationDeps extends AppContext {
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly fromAddress: string;
}

/** The outbox handler: issues the token (hash stored on the membership) and emails `PUBLIC_URL/app/accept-invite#token=…`. */
export function createInvitationHandler(deps: InvitationDeps): JobHandler {
  return async (rawPayload) => {
    const payload = ZInvitationJob.parse(rawPayload);
    const tenant = await findTenantById(deps.db, payload.tenantId);
    if (!tenant || tenant.status !== 'active') return;
    const scope = forTenant(deps.db, tenant.id);
    const member = await findTeamMemberById(scope, payload.memberId);
    if (!member || member.status !== 'invited') return;
    const inviter = payload.invitedById ? await findTeamMemberById(scope, payload.invitedById) : undefined;
    const now = deps.clock.now();
    const token = generateToken();
    const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
    await storeInvitation(scope, member.id, {
      tokenHash: hashToken(token),
      expiresAt: toDbTime(expiresAt),
      invitedById: payload.invitedById,
      now: toDbTime(now),
    });
    await deps.mailer.send(
      renderInvitationEmail({
        tenant,
        to: member.email,
        recipientName: member.name,
        inviterName: inviter?.name ?? null,
        role: member.role,
        link: `${deps.publicUrl}/app/accept-invite#token=${token}`,
        expiresAt,
        fromAddress: deps.fromAddress,
        publicUrl: deps.publicUrl,
      }),
    );
  };
}

/**
 * Accepts an invitation and signs in. The token proves the email; the person proves themself: a
 * new account sets its password here (and may correct its name), an existing account signs in
 * with its password (and TOTP when on), like any sign-in, so an invitation never bypasses them.
 * @throws INVITATION_INVALID, VALIDATION_FAILED (password missing), PASSWORD_TOO_WEAK, and the
 * sign-in errors for an existing account
 */
export async function acceptTeamInvitation(
  ctx: TeamAuthContext,
  input: { token: string; name?: string | undefined; password?: string | undefined; totp?: string | undefined },
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<TeamSignedIn> {
  const tokenHash = hashToken(input.token);
  const invitation = await findInvitationByTokenHash(ctx.db, tokenHash);
  const now = ctx.clock.now();
  if (!invitation || invitation.expiresAt.getTime() <= now.getTime()) throw new AppError('INVITATION_INVALID');
  const { member } = invitation;
  const tenant = await findTenantById(ctx.db, member.tenantId);
  const account = await findTeamAccountById(ctx.db, member.accountId);
  if (!tenant || tenant.status !== 'active' || !account) throw new AppError('INVITATION_INVALID');
  const found = { account };
  if (!input.password) {
    throw new AppError('VALIDATION_FAILED', found.account.hasPassword ? 'Enter your password to accept.' : 'Choose a password.', {
      details: [{ path: 'password', message: 'is required' }],
    });
  }
  const isNewAccount = !found.account.hasPassword;
  if (isNewAccount) {
    checkPasswordStrength(input.password, found.account.email);
  } else {
    // An existing account proves itself before the membership changes, like any sign-in.
    await authenticateTeamAccount(ctx, { email: found.account.email, password: input.password, totp: input.totp }, meta, {
      requireMembership: false,
    });
  }
  const passwordHash = isNewAccount ? await hashPassword(input.password, ctx.argon2) : null;

  await forTenant(ctx.db, tenant.id).transaction(async (trx) => {
    if (!(await activateInvitedMember(trx, member.id, tokenHash, toDbTime(now)))) throw new AppError('INVITATION_INVALID');
    if (passwordHash) await storeTeamAccountPasswordHash(trx, found.account.id, passwordHash, toDbTime(now));
    if (input.name && isNewAccount) {
      await renameTeamAccount(trx, found.account.id, input.name, toDbTime(now));
      await renameTeamMember(trx, member.id, input.name, toDbTime(now));
    }
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: tenant.id,
      actor: { kind: 'team_member', id: member.id },
      action: 'team.invitation.accepted',
      subject: { kind: 'team_member', id: member.id },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  });
  return openSessionForMember(ctx, found.account.id, member.id, meta, previousToken);
}
