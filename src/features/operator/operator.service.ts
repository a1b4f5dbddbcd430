import type { AppContext } from '../../platform/context.js';
import { generateToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { type Argon2Cost, checkPasswordStrength, hashPassword } from '../auth/password-hashing.js';
import { clearSignInFailures } from '../auth/sign-in-throttle.service.js';
import { operatorThrottleKeyOf } from './operator-auth.service.js';
import * as sessionRepo from './operator-session.repository.js';
import * as repo from './operator.repository.js';
import type { Operator } from './operator.repository.js';

export type { Operator } from './operator.repository.js';

/** A strong password for an operator who did not choose one: 24 characters, 144 bits. */
export function generateOperatorPassword(): string {
  return generateToken(18);
}

/**
 * Registers an operator of this installation (from the CLI only) with a password; two-step
 * sign-in is enrolled at the first sign-in to the console.
 * @throws VALIDATION_FAILED, EMAIL_TAKEN, PASSWORD_TOO_WEAK
 */
export async function addOperator(
  ctx: AppContext,
  input: { email: string; name?: string; password: string },
  argon2?: Argon2Cost,
): Promise<Operator> {
  const email = requireEmail(input.email);
  checkPasswordStrength(input.password, email);
  const passwordHash = await hashPassword(input.password, argon2);
  return inTransaction(ctx.db, async (trx) => {
    if (await repo.findOperatorByEmail(trx, email)) throw new AppError('EMAIL_TAKEN');
    const operator = await repo.insertOperator(trx, {
      id: newId(),
      email,
      name: input.name?.trim() || email,
      passwordHash,
      now: toDbTime(ctx.clock.now()),
    });
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: null,
      actor: { kind: 'system' },
      action: 'operator.added',
      subject: { kind: 'operator', id: operator.id },
    });
    return operator;
  });
}

/**
 * Sets a new password for an operator (from the CLI only): every console session ends and the
 * sign-in lockout of the email is cleared. Two-step sign-in stays as it is.
 * @throws VALIDATION_FAILED, NOT_FOUND, PASSWORD_TOO_WEAK
 */
export async function resetOperatorPassword(
  ctx: AppContext,
  input: { email: string; password: string },
  argon2?: Argon2Cost,
): Promise<Operator> {
  const email = requireEmail(input.email);
  const operator = await repo.findOperatorByEmail(ctx.db, email);
  if (!operator) throw new AppError('NOT_FOUND', 'There is no operator with this email address.');
  checkPasswordStrength(input.password, email);
  const passwordHash = await hashPassword(input.password, argon2);
  await inTransaction(ctx.db, async (trx) => {
    const now = toDbTime(ctx.clock.now());
    await repo.setOperatorPasswordHash(trx, operator.id, passwordHash, now);
    const ended = await sessionRepo.revokeAllOperatorSessions(trx, operator.id, now);
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: null,
      actor: { kind: 'system' },
      action: 'operator.password_reset',
      subject: { kind: 'operator', id: operator.id },
      data: { sessionsEnded: ended },
    });
  });
  await clearSignInFailures(ctx, operatorThrottleKeyOf(email));
  return operator;
}
