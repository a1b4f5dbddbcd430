import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { verifyPassword } from './password-hashing.js';
import * as recoveryRepo from './recovery-code.repository.js';
import * as accountRepo from './team-account.repository.js';
import type { AccountSecrets } from './team-account.repository.js';
import type { TeamAuthContext } from './team-auth-context.js';
import type { TeamIdentity } from '../sessions/team-session.service.js';
import { decryptTotpSecret, encryptTotpSecret, generateTotpSecret, matchTotp, otpauthUrl, toBase32 } from './totp.js';

/** Ten single-use recovery codes, each about 50 bits (`ABCDE-FGHJK`), shown once, stored hashed. */
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const ISSUER = 'Servelo';

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function recoveryHashOf(code: string): string {
  return hashToken(`team-recovery:${code.toUpperCase().replace(/[^A-Z0-9]/g, '')}`);
}

/**
 * Checks the second factor of an account with TOTP on: a current 6-digit code (never one already
 * used) or an unused recovery code, which is spent. Undefined when neither matches.
 */
export async function verifySecondFactor(
  ctx: TeamAuthContext,
  accountId: string,
  secrets: AccountSecrets,
  code: string,
): Promise<'totp' | 'recovery' | undefined> {
  if (!secrets.totpSecret) return undefined;
  const trimmed = code.trim();
  if (/^\d{3}\s?\d{3}$/.test(trimmed)) {
    const secret = decryptTotpSecret(ctx.appSecret, accountId, secrets.totpSecret);
    const step = matchTotp(secret, trimmed, ctx.clock.now(), secrets.totpLastStep);
    // The conditional update is the replay guard: of two requests with one code, one wins.
    return step !== undefined && (await accountRepo.spendTotpStep(ctx.db, accountId, step)) ? 'totp' : undefined;
  }
  const spent = await recoveryRepo.spendRecoveryCode(ctx.db, accountId, recoveryHashOf(trimmed), toDbTime(ctx.clock.now()));
  return spent ? 'recovery' : undefined;
}

/**
 * Starts TOTP enrolment: a new secret, pending until `enableTotp` confirms a code from it.
 * Starting again replaces a pending secret (a new QR code), never an enabled one.
 * @throws TOTP_ALREADY_ENABLED
 */
export async function startTotpSetup(
  ctx: TeamAuthContext,
  identity: TeamIdentity,
): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  const found = await accountRepo.findAccountById(ctx.db, identity.accountId);
  if (!found) throw new AppError('UNAUTHENTICATED');
  if (found.account.totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED');
  const secret = generateTotpSecret();
  await accountRepo.setPendingTotpSecret(
    ctx.db,
    found.account.id,
    encryptTotpSecret(ctx.appSecret, found.account.id, secret),
    toDbTime(ctx.clock.now()),
  );
  const base32 = toBase32(secret);
  const url = otpauthUrl(base32, ISSUER, found.account.email);
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: base32, otpauthUrl: url, qrSvg };
}

/**
 * Confirms enrolment with a code from the pending secret and turns TOTP on; returns the recovery
 * codes, which are shown this once. Audited in the current organisation.
 * @throws TOTP_NOT_PENDING, TOTP_ALREADY_ENABLED, TOTP_INVALID
 */
export async function enableTotp(ctx: TeamAuthContext, identity: TeamIdentity, code: string): Promise<{ recoveryCodes: string[] }> {
  const found = await accountRepo.findAccountById(ctx.db, identity.accountId);
  if (!found) throw new AppError('UNAUTHENTICATED');
  if (found.account.totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED');
  if (!found.secrets.totpPendingSecret) throw new AppError('TOTP_NOT_PENDING');
  const pending = decryptTotpSecret(ctx.appSecret, found.account.id, found.secrets.totpPendingSecret);
  const step = matchTotp(pending, code, ctx.clock.now(), null);
  if (step === undefined) throw new AppError('TOTP_INVALID');
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = toDbTime(ctx.clock.now());
  await inTransaction(ctx.db, async (trx) => {
    if (!(await accountRepo.enableTotp(trx, found.account.id, step, now))) throw new AppError('TOTP_NOT_PENDING');
    await recoveryRepo.replaceRecoveryCodes(
      trx,
      found.account.id,
      recoveryCodes.map((c) => ({ id: newId(), codeHash: recoveryHashOf(c) })),
      now,
    );
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: identity.viewer.tenant.id,
      actor: { kind: 'team_member', id: identity.member.id },
      action: 'team.totp.enabled',
      subject: { kind: 'team_member', id: identity.member.id },
    });
  });
  return { recoveryCodes };
}

/**
 * Turns TOTP off; needs the password and a current code (or a recovery code), so a borrowed
 * unlocked browser cannot weaken the account. Audited.
 * @throws TOTP_NOT_PENDING (not on), SIGN_IN_FAILED (wrong password), TOTP_INVALID
 */
export async function disableTotp(ctx: TeamAuthContext, identity: TeamIdentity, input: { password: string; code: string }): Promise<void> {
  const found = await accountRepo.findAccountById(ctx.db, identity.accountId);
  if (!found) throw new AppError('UNAUTHENTICATED');
  if (!found.account.totpEnabled) throw new AppError('TOTP_NOT_PENDING', 'Two-step sign-in is not on.');
  if (!found.secrets.passwordHash || !(await verifyPassword(found.secrets.passwordHash, input.password))) {
    throw new AppError('SIGN_IN_FAILED', 'The password is not correct.');
  }
  if (!(await verifySecondFactor(ctx, found.account.id, found.secrets, input.code))) throw new AppError('TOTP_INVALID');
  const now = toDbTime(ctx.clock.now());
  await inTransaction(ctx.db, async (trx) => {
    await accountRepo.disableTotp(trx, found.account.id, now);
    await recoveryRepo.replaceRecoveryCodes(trx, found.account.id, [], now);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: identity.viewer.tenant.id,
      actor: { kind: 'team_member', id: identity.member.id },
      action: 'team.totp.disabled',
      subject: { kind: 'team_member', id: identity.member.id },
    });
  });
}
