import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { newId } from '../../platform/ids.js';
import * as repo from './team-account.repository.js';
import type { TeamAccount } from './team-account.repository.js';
import { type Argon2Cost, checkPasswordStrength, hashPassword } from './password-hashing.js';
import type { ExecutorOrScope } from '../../platform/db/tenant-scope.js';

export type { TeamAccount } from './team-account.repository.js';

/**
 * The account of a canonical email, created when it does not exist yet (a first membership, an
 * invitation). One person has one account whatever the number of organisations they work for.
 * Runs in the caller's transaction (`db` may be one).
 */
export async function ensureTeamAccount(
  db: ExecutorOrScope,
  ctx: Pick<AppContext, 'clock'>,
  input: { email: string; name: string },
): Promise<TeamAccount> {
  const existing = await repo.findAccountByEmail(db, input.email);
  if (existing) return existing.account;
  return repo.insertAccount(db, { id: newId(), email: input.email, name: input.name, now: toDbTime(ctx.clock.now()) });
}

export async function findTeamAccountById(db: Executor, id: string): Promise<TeamAccount | undefined> {
  return (await repo.findAccountById(db, id))?.account;
}

/**
 * Sets an account's password after checking it (used by reset, invitation, the seed and tests).
 * Sessions are the caller's business: a reset ends them, a first password has none.
 * @throws PASSWORD_TOO_WEAK
 */
export async function setTeamAccountPassword(
  ctx: AppContext,
  account: Pick<TeamAccount, 'id' | 'email'>,
  password: string,
  cost?: Argon2Cost,
): Promise<void> {
  checkPasswordStrength(password, account.email);
  const passwordHash = await hashPassword(password, cost);
  await repo.setPasswordHash(ctx.db, account.id, passwordHash, toDbTime(ctx.clock.now()));
}

/** Stores an already hashed password, inside the caller's transaction (`db` may be one). */
export async function storeTeamAccountPasswordHash(
  db: ExecutorOrScope,
  accountId: string,
  passwordHash: string,
  now: string,
): Promise<void> {
  await repo.setPasswordHash(db, accountId, passwordHash, now);
}

/** Renames an account, inside the caller's transaction (`db` may be one). */
export async function renameTeamAccount(db: ExecutorOrScope, accountId: string, name: string, now: string): Promise<void> {
  await repo.setAccountName(db, accountId, name, now);
}
