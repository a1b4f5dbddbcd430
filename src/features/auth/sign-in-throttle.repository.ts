import type { Executor } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';

/**
 * Failed sign-ins per email hash — known and unknown emails alike, so a lock looks the same for
 * both (no enumeration). In the database, so every app instance sees it and the clock drives it.
 */
export interface ThrottleState {
  readonly failedAttempts: number;
  readonly lockedUntil: Date | null;
}

export async function findThrottle(db: Executor, emailHash: string): Promise<ThrottleState | undefined> {
  const row = await db.selectFrom('team_sign_in_throttle').selectAll().where('email_hash', '=', emailHash).executeTakeFirst();
  return row && { failedAttempts: Number(row.failed_attempts), lockedUntil: row.locked_until ? fromDbTime(row.locked_until) : null };
}

/** Adds one failure and returns the new count (one statement, so parallel failures all count). */
export async function addFailure(db: Executor, emailHash: string, now: string): Promise<number> {
  const row = await db
    .insertInto('team_sign_in_throttle')
    .values({ email_hash: emailHash, failed_attempts: 1, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('email_hash')
        .doUpdateSet((eb) => ({ failed_attempts: eb('team_sign_in_throttle.failed_attempts', '+', 1), updated_at: now })),
    )
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return Number(row.failed_attempts);
}

export async function setLockedUntil(db: Executor, emailHash: string, lockedUntil: string, now: string): Promise<void> {
  await db
    .updateTable('team_sign_in_throttle')
    .set({ locked_until: lockedUntil, updated_at: now })
    .where('email_hash', '=', emailHash)
    .execute();
}

export async function clearThrottle(db: Executor, emailHash: string): Promise<void> {
  await db.deleteFrom('team_sign_in_throttle').where('email_hash', '=', emailHash).execute();
}
