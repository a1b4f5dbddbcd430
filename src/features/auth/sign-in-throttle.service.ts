import type { AppContext } from '../../platform/context.js';
import { hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './sign-in-throttle.repository.js';

/**
 * Lockout with exponential backoff (ASVS 6.3.1 / 6.1.1): after 5 consecutive failures for an
 * email, sign-in is refused for 1 minute, then 2, 4, … up to an hour for each further failure.
 * Keyed by the email — known or not — so locked, unknown and known emails are indistinguishable;
 * a success or a password reset clears it.
 */
export const FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

/** 429 with the time to wait, in words and as a Retry-After header. */
function accountLocked(retryAfterSeconds: number): AppError {
  return new AppError(
    'ACCOUNT_LOCKED',
    `Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}, or reset your password.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

export function throttleKeyOf(canonicalEmail: string): string {
  return hashToken(`team-sign-in:${canonicalEmail}`);
}

export function lockDurationMs(failures: number): number {
  if (failures < FAILURES_BEFORE_LOCK) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(failures - FAILURES_BEFORE_LOCK, 10));
}

/** @throws ACCOUNT_LOCKED while the email is locked */
export async function assertNotLocked(ctx: AppContext, key: string): Promise<void> {
  const state = await repo.findThrottle(ctx.db, key);
  const now = ctx.clock.now().getTime();
  if (state?.lockedUntil && state.lockedUntil.getTime() > now) {
    throw accountLocked(Math.ceil((state.lockedUntil.getTime() - now) / 1000));
  }
}

/** Counts a failure; returns the lock it started, if any. */
export async function recordSignInFailure(ctx: AppContext, key: string): Promise<{ failures: number; lockedUntil: Date | null }> {
  const now = ctx.clock.now();
  const failures = await repo.addFailure(ctx.db, key, toDbTime(now));
  const lockMs = lockDurationMs(failures);
  if (lockMs === 0) return { failures, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + lockMs);
  await repo.setLockedUntil(ctx.db, key, toDbTime(lockedUntil), toDbTime(now));
  return { failures, lockedUntil };
}

export async function clearSignInFailures(ctx: AppContext, key: string): Promise<void> {
  await repo.clearThrottle(ctx.db, key);
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
