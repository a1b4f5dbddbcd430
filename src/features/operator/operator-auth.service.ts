import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { canonicaliseEmail, parseEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { verifyNothing, verifyPassword } from '../auth/password-hashing.js';
import { assertNotLocked, clearSignInFailures, recordSignInFailure } from '../auth/sign-in-throttle.service.js';
import { decryptTotpSecret, encryptTotpSecret, generateTotpSecret, matchTotp, otpauthUrl, toBase32 } from '../auth/totp.js';
import type { SessionLifetimes } from '../sessions/session.service.js';
import { OPERATOR_PENDING_LIFETIMES, OPERATOR_SESSION_LIFETIMES, type OperatorAuthContext } from './operator-auth-context.js';
import * as sessionRepo from './operator-session.repository.js';
import * as repo from './operator.repository.js';
import type { Operator, OperatorSecrets } from './operator.repository.js';

/**
 * Operator sign-in: password (argon2id) then TOTP, which is required. An operator without TOTP
 * yet (the first sign-in after `servelo operator add`) gets a pending session that can only enrol
 * it; confirming a code opens the full session (a new token: the pending one is revoked).
 */
export type OperatorStage = 'signed_in' | 'enrol_totp';

export interface OperatorIdentity {
  readonly sessionId: string;
  readonly operator: Operator;
  readonly stage: OperatorStage;
}

export interface OperatorSignedIn {
  readonly sessionToken: string;
  readonly expiresAt: Date;
  readonly operator: Operator;
  readonly stage: OperatorStage;
}

export const OPERATOR_RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const ISSUER = 'Servelo operator';
const TOUCH_INTERVAL_MS = 60_000;

/** The TOTP ciphertext is bound to the operator (never movable to a team account with the same id). */
const totpBinding = (operatorId: string) => `operator:${operatorId}`;
const recoveryHashOf = (code: string) => hashToken(`operator-recovery:${code.toUpperCase().replace(/[^A-Z0-9]/g, '')}`);
/** The lockout of operator emails, apart from the team's (sign-in-throttle.service.ts). */
export const operatorThrottleKeyOf = (canonicalEmail: string) => hashToken(`operator-sign-in:${canonicalEmail}`);

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

async function openOperatorSession(
  ctx: OperatorAuthContext,
  operatorId: string,
  secondFactor: boolean,
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  if (previousToken) await sessionRepo.revokeOperatorSessionByHash(ctx.db, hashToken(previousToken), toDbTime(now));
  const lifetimes: SessionLifetimes = secondFactor ? OPERATOR_SESSION_LIFETIMES : OPERATOR_PENDING_LIFETIMES;
  const token = generateToken();
  const absolute = new Date(now.getTime() + lifetimes.absoluteMs);
  await sessionRepo.insertOperatorSession(ctx.db, {
    id: newId(now.getTime()),
    operatorId,
    tokenHash: hashToken(token),
    now: toDbTime(now),
    idleExpiresAt: toDbTime(new Date(Math.min(now.getTime() + lifetimes.idleMs, absolute.getTime()))),
    absoluteExpiresAt: toDbTime(absolute),
    secondFactorAt: secondFactor ? toDbTime(now) : null,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt: absolute };
}

/** A current TOTP code (never one already used) or an unused recovery code, which is spent. */
async function verifyOperatorSecondFactor(
  ctx: OperatorAuthContext,
  operatorId: string,
  secrets: OperatorSecrets,
  code: string,
): Promise<boolean> {
  if (!secrets.totpSecret) return false;
  const trimmed = code.trim();
  if (/^\d{3}\s?\d{3}$/.test(trimmed)) {
    const secret = decryptTotpSecret(ctx.appSecret, totpBinding(operatorId), secrets.totpSecret);
    const step = matchTotp(secret, trimmed, ctx.clock.now(), secrets.totpLastStep);
    return step !== undefined && (await repo.spendOperatorTotpStep(ctx.db, operatorId, step));
  }
  return repo.spendOperatorRecoveryCode(ctx.db, operatorId, recoveryHashOf(trimmed), toDbTime(ctx.clock.now()));
}

/**
 * Checks email, password and (once enrolled) the TOTP code, with the per-email lockout around
 * them. Unknown email, wrong password, no password and a disabled operator all answer
 * SIGN_IN_FAILED after the same argon2 work. Without TOTP yet, the session is pending (enrol only).
 * @throws ACCOUNT_LOCKED, SIGN_IN_FAILED, TOTP_REQUIRED, TOTP_INVALID
 */
export async function signInOperator(
  ctx: OperatorAuthContext,
  input: { email: string; password: string; totp?: string | undefined },
  meta: RequestMeta,
  previousToken: string | undefined,
): Promise<OperatorSignedIn> {
  const canonical = canonicaliseEmail(input.email).slice(0, 320);
  const key = operatorThrottleKeyOf(canonical);
  await assertNotLocked(ctx, key);
  const email = parseEmail(canonical);
  const found = email ? await repo.findOperatorWithSecretsByEmail(ctx.db, email) : undefined;
  const passwordOk = found?.secrets.passwordHash
    ? await verifyPassword(found.secrets.passwordHash, input.password)
    : await verifyNothing(input.password, ctx.argon2);

  const fail = async (reason: string, code: 'SIGN_IN_FAILED' | 'TOTP_INVALID'): Promise<never> => {
    const { lockedUntil } = await recordSignInFailure(ctx, key);
    await recordAuditEvent(ctx.db, ctx.clock, {
      tenantId: null,
      actor: found ? { kind: 'operator', id: found.operator.id } : { kind: 'system' },
      action: lockedUntil ? 'operator.sign_in.locked' : 'operator.sign_in.failed',
      data: { reason, emailKey: key.slice(0, 12), ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    throw new AppError(code);
  };

  if (!found || !passwordOk) return fail(found ? 'password' : 'unknown_email', 'SIGN_IN_FAILED');
  if (found.operator.disabled) return fail('disabled', 'SIGN_IN_FAILED');
  const enrolled = found.operator.totpEnabled;
  if (enrolled) {
    if (!input.totp?.trim()) throw new AppError('TOTP_REQUIRED');
    if (!(await verifyOperatorSecondFactor(ctx, found.operator.id, found.secrets, input.totp))) return fail('totp', 'TOTP_INVALID');
  }
  await clearSignInFailures(ctx, key);
  const session = await openOperatorSession(ctx, found.operator.id, enrolled, meta, previousToken);
  await recordAuditEvent(ctx.db, ctx.clock, {
    tenantId: null,
    actor: { kind: 'operator', id: found.operator.id },
    action: enrolled ? 'operator.sign_in.succeeded' : 'operator.sign_in.enrolment_started',
    subject: { kind: 'operator', id: found.operator.id },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return {
    sessionToken: session.token,
    expiresAt: session.expiresAt,
    operator: found.operator,
    stage: enrolled ? 'signed_in' : 'enrol_totp',
  };
}

/**
 * The operator of a console cookie, or undefined (unknown, revoked, idle too long, past its
 * absolute lifetime, operator disabled). The idle expiry slides, at most one write a minute.
 */
export async function resolveOperatorSession(ctx: OperatorAuthContext, token: string): Promise<OperatorIdentity | undefined> {
  const session = await sessionRepo.findOperatorSessionByHash(ctx.db, hashToken(token));
  const now = ctx.clock.now();
  if (!session || session.revokedAt || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) return undefined;
  const found = await repo.findOperatorWithSecretsById(ctx.db, session.operatorId);
  if (!found || found.operator.disabled) return undefined;
  const full = session.secondFactorAt !== null && found.operator.totpEnabled;
  if (full && now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + OPERATOR_SESSION_LIFETIMES.idleMs, session.absoluteExpiresAt.getTime());
    await sessionRepo.touchOperatorSession(ctx.db, session.id, toDbTime(now), toDbTime(new Date(idle)));
  }
  return { sessionId: session.id, operator: found.operator, stage: full ? 'signed_in' : 'enrol_totp' };
}

/**
 * Starts TOTP enrolment for a pending session: a new secret (replacing a pending one).
 * @throws TOTP_ALREADY_ENABLED
 */
export async function startOperatorTotpSetup(
  ctx: OperatorAuthContext,
  identity: OperatorIdentity,
): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  if (identity.operator.totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED');
  const secret = generateTotpSecret();
  const id = identity.operator.id;
  await repo.setOperatorPendingTotp(ctx.db, id, encryptTotpSecret(ctx.appSecret, totpBinding(id), secret), toDbTime(ctx.clock.now()));
  const base32 = toBase32(secret);
  const url = otpauthUrl(base32, ISSUER, identity.operator.email);
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: base32, otpauthUrl: url, qrSvg };
}

/**
 * Confirms enrolment with a code of the pending secret: TOTP is on, ten recovery codes are shown
 * this once, and the pending session is replaced by a full one. Audited.
 * @throws TOTP_NOT_PENDING, TOTP_ALREADY_ENABLED, TOTP_INVALID
 */
export async function confirmOperatorTotp(
  ctx: OperatorAuthContext,
  identity: OperatorIdentity,
  code: string,
  meta: RequestMeta,
  currentToken: string | undefined,
): Promise<OperatorSignedIn & { recoveryCodes: string[] }> {
  const found = await repo.findOperatorWithSecretsById(ctx.db, identity.operator.id);
  if (!found) throw new AppError('UNAUTHENTICATED');
  if (found.operator.totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED');
  if (!found.secrets.totpPendingSecret) throw new AppError('TOTP_NOT_PENDING');
  const pending = decryptTotpSecret(ctx.appSecret, totpBinding(found.operator.id), found.secrets.totpPendingSecret);
  const step = matchTotp(pending, code, ctx.clock.now(), null);
  if (step === undefined) throw new AppError('TOTP_INVALID');
  const recoveryCodes = Array.from({ length: OPERATOR_RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = toDbTime(ctx.clock.now());
  await inTransaction(ctx.db, async (trx) => {
    if (!(await repo.enableOperatorTotp(trx, found.operator.id, step, now))) throw new AppError('TOTP_NOT_PENDING');
    await repo.replaceOperatorRecoveryCodes(
      trx,
      found.operator.id,
      recoveryCodes.map((c) => ({ id: newId(), codeHash: recoveryHashOf(c) })),
      now,
    );
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: null,
      actor: { kind: 'operator', id: found.operator.id },
      action: 'operator.totp.enabled',
      subject: { kind: 'operator', id: found.operator.id },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  });
  const session = await openOperatorSession(ctx, found.operator.id, true, meta, currentToken);
  const operator = { ...found.operator, totpEnabled: true };
  return { sessionToken: session.token, expiresAt: session.expiresAt, operator, stage: 'signed_in', recoveryCodes };
}

export async function signOutOperator(ctx: OperatorAuthContext, token: string): Promise<void> {
  await sessionRepo.revokeOperatorSessionByHash(ctx.db, hashToken(token), toDbTime(ctx.clock.now()));
}
