import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { parseEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { type AccountMembership, listMembershipsOfAccount } from '../team/team.service.js';
import { checkPasswordStrength, hashPassword } from './password-hashing.js';
import { clearSignInFailures, throttleKeyOf } from './sign-in-throttle.service.js';
import * as accountRepo from './team-account.repository.js';
import { renderPasswordResetEmail } from './team-auth-email.js';
import type { TeamAuthContext } from './team-auth-context.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { endAllTeamSessionsOfAccount } from '../sessions/team-session.service.js';

/** A reset link is short-lived (ASVS 6.4.1 asks for a short life): 30 minutes, single use. */
export const RESET_LINK_LIFETIME_MS = 30 * 60_000;
export const TEAM_PASSWORD_RESET_JOB = 'team_auth.password_reset';

const ZResetJob = z.object({ email: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable() });

/**
 * Queues a password reset email. The request answers 202 at once whatever the email: the lookup,
 * the token and the email happen in the background job, so known and unknown addresses look the same.
 */
export async function requestTeamPasswordReset(ctx: AppContext, rawEmail: string, meta: RequestMeta): Promise<void> {
  const email = parseEmail(rawEmail);
  if (!email) return;
  await enqueueJob(ctx.db, ctx.clock, { kind: TEAM_PASSWORD_RESET_JOB, payload: { email, ip: meta.ip, userAgent: meta.userAgent } });
}

/** A password belongs to the person: each of their organisations' audit logs records its reset. */
async function auditInEachOrganisation(
  db: Executor,
  clock: Clock,
  memberships: readonly AccountMembership[],
  action: string,
  tokenHash: string,
  meta: RequestMeta,
): Promise<void> {
  for (const m of memberships) {
    await recordAuditEvent(db, clock, {
      tenantId: m.tenantId,
      actor: { kind: 'team_member', id: m.memberId },
      action,
      subject: { kind: 'team_member', id: m.memberId },
      data: { tokenHash: tokenHash.slice(0, 12) },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  }
}

export interface PasswordResetDeps extends AppContext {
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly fromAddress: string;
}

/**
 * The outbox handler: issues a token for an account with at least one active membership (a newer
 * link replaces an older one) and emails `PUBLIC_URL/app/reset#token=…` — built from configuration
 * only, never from request headers. Only the token's hash is stored.
 */
export function createPasswordResetHandler(deps: PasswordResetDeps): JobHandler {
  return async (rawPayload) => {
    const payload = ZResetJob.parse(rawPayload);
    const found = await accountRepo.findAccountByEmail(deps.db, payload.email);
    if (!found) return;
    const memberships = (await listMembershipsOfAccount(deps.db, found.account.id)).filter((m) => m.status === 'active');
    if (memberships.length === 0) return;
    const now = deps.clock.now();
    const token = generateToken();
    const tokenHash = hashToken(token);
    await inTransaction(deps.db, async (trx) => {
      await accountRepo.setResetToken(
        trx,
        found.account.id,
        tokenHash,
        toDbTime(new Date(now.getTime() + RESET_LINK_LIFETIME_MS)),
        toDbTime(now),
      );
      await auditInEachOrganisation(trx, deps.clock, memberships, 'team.password_reset.requested', tokenHash, payload);
    });
    await deps.mailer.send(
      renderPasswordResetEmail({
        to: found.account.email,
        recipientName: found.account.name,
        link: `${deps.publicUrl}/app/reset#token=${token}`,
        validMinutes: RESET_LINK_LIFETIME_MS / 60_000,
        fromAddress: deps.fromAddress,
        appUrl: `${deps.publicUrl}/app`,
      }),
    );
  };
}

/**
 * Sets a new password with a reset token: spent once (a conditional update), the lockout cleared,
 * every session of the account in every organisation ended. Audited. The password is checked
 * before the token is spent, so a refused password leaves the link usable.
 * @throws RESET_LINK_INVALID, PASSWORD_TOO_WEAK
 */
export async function resetTeamPassword(ctx: TeamAuthContext, token: string, password: string, meta: RequestMeta): Promise<void> {
  const tokenHash = hashToken(token);
  const now = ctx.clock.now();
  const found = await accountRepo.findAccountByResetTokenHash(ctx.db, tokenHash, toDbTime(now));
  if (!found) throw new AppError('RESET_LINK_INVALID');
  checkPasswordStrength(password, found.email);
  const passwordHash = await hashPassword(password, ctx.argon2);
  await inTransaction(ctx.db, async (trx) => {
    const accountId = await accountRepo.spendResetToken(trx, tokenHash, toDbTime(now));
    if (accountId !== found.id) throw new AppError('RESET_LINK_INVALID');
    await accountRepo.setPasswordHash(trx, accountId, passwordHash, toDbTime(now));
    const tctx = { ...ctx, db: trx };
    await clearSignInFailures(tctx, throttleKeyOf(found.email));
    await endAllTeamSessionsOfAccount(tctx, accountId);
    await auditInEachOrganisation(
      trx,
      ctx.clock,
      await listMembershipsOfAccount(trx, accountId),
      'team.password_reset.completed',
      tokenHash,
      meta,
    );
  });
}
