import type { Selectable } from 'kysely';
import type { Executor, TeamAccountTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { executorOf, type ExecutorOrScope } from '../../platform/db/tenant-scope.js';

/**
 * Team accounts are global (one person, memberships in several tenants), so these queries take
 * the executor, not a tenant scope. Credentials never leave this module except as `AccountSecrets`.
 */
export interface TeamAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly hasPassword: boolean;
  readonly totpEnabled: boolean;
  readonly createdAt: Date;
}

/** What sign-in and TOTP checks need; only ever read inside a service. */
export interface AccountSecrets {
  readonly passwordHash: string | null;
  readonly totpSecret: string | null;
  readonly totpPendingSecret: string | null;
  readonly totpLastStep: number | null;
}

function toAccount(row: Selectable<TeamAccountTable>): TeamAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    hasPassword: row.password_hash !== null,
    totpEnabled: row.totp_enabled_at !== null && row.totp_secret !== null,
    createdAt: fromDbTime(row.created_at),
  };
}

function toSecrets(row: Selectable<TeamAccountTable>): AccountSecrets {
  return {
    passwordHash: row.password_hash,
    totpSecret: row.totp_enabled_at ? row.totp_secret : null,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  };
}

export async function insertAccount(
  target: ExecutorOrScope,
  a: { id: string; email: string; name: string; now: string },
): Promise<TeamAccount> {
  const row = await executorOf(target)
    .insertInto('team_account')
    .values({ id: a.id, email: a.email, name: a.name, created_at: a.now, updated_at: a.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAccount(row);
}

export async function findAccountByEmail(
  target: ExecutorOrScope,
  email: string,
): Promise<{ account: TeamAccount; secrets: AccountSecrets } | undefined> {
  const row = await executorOf(target).selectFrom('team_account').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { account: toAccount(row), secrets: toSecrets(row) };
}

export async function findAccountById(db: Executor, id: string): Promise<{ account: TeamAccount; secrets: AccountSecrets } | undefined> {
  const row = await db.selectFrom('team_account').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { account: toAccount(row), secrets: toSecrets(row) };
}

/** Sets the password and ends any pending reset link (a reset link is for one password change). */
export async function setPasswordHash(target: ExecutorOrScope, id: string, passwordHash: string, now: string): Promise<void> {
  await executorOf(target)
    .updateTable('team_account')
    .set({ password_hash: passwordHash, password_changed_at: now, reset_token_hash: null, reset_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setAccountName(target: ExecutorOrScope, id: string, name: string, now: string): Promise<void> {
  await executorOf(target).updateTable('team_account').set({ name, updated_at: now }).where('id', '=', id).execute();
}

export async function setPendingTotpSecret(db: Executor, id: string, encrypted: string, now: string): Promise<void> {
  await db.updateTable('team_account').set({ totp_pending_secret: encrypted, updated_at: now }).where('id', '=', id).execute();
}

/** Moves the pending secret into place; the step that confirmed it is already spent. */
export async function enableTotp(db: Executor, id: string, step: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('team_account')
    .set((eb) => ({
      totp_secret: eb.ref('totp_pending_secret'),
      totp_pending_secret: null,
      totp_enabled_at: now,
      totp_last_step: step,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('totp_pending_secret', 'is not', null)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function disableTotp(db: Executor, id: string, now: string): Promise<void> {
  await db
    .updateTable('team_account')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Records a TOTP step as used, only if it is later than the last one: two requests with the same
 * code race here and exactly one wins (replay guard, RFC 6238 §5.2).
 */
export async function spendTotpStep(db: Executor, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('team_account')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function setResetToken(db: Executor, id: string, tokenHash: string, expiresAt: string, now: string): Promise<void> {
  await db
    .updateTable('team_account')
    .set({ reset_token_hash: tokenHash, reset_expires_at: expiresAt, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Spends a reset token once: the conditional update clears it, so a second use finds nothing. */
export async function spendResetToken(db: Executor, tokenHash: string, now: string): Promise<string | undefined> {
  const row = await db
    .updateTable('team_account')
    .set({ reset_token_hash: null, reset_expires_at: null, updated_at: now })
    .where('reset_token_hash', '=', tokenHash)
    .where('reset_expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The account a live (unspent, unexpired) reset token belongs to, without spending it. */
export async function findAccountByResetTokenHash(db: Executor, tokenHash: string, now: string): Promise<TeamAccount | undefined> {
  const row = await db
    .selectFrom('team_account')
    .selectAll()
    .where('reset_token_hash', '=', tokenHash)
    .where('reset_expires_at', '>', now)
    .executeTakeFirst();
  return row && toAccount(row);
}
