import type { Executor } from '../../platform/db/database.js';

/** Recovery codes of a team account: only hashes, each spent once by a conditional update. */
export async function replaceRecoveryCodes(
  db: Executor,
  accountId: string,
  codes: readonly { id: string; codeHash: string }[],
  now: string,
): Promise<void> {
  await db.deleteFrom('team_recovery_code').where('account_id', '=', accountId).execute();
  if (codes.length === 0) return;
  await db
    .insertInto('team_recovery_code')
    .values(codes.map((c) => ({ id: c.id, account_id: accountId, code_hash: c.codeHash, created_at: now, used_at: null })))
    .execute();
}

/** True when an unused code with this hash existed and is now spent. */
export async function spendRecoveryCode(db: Executor, accountId: string, codeHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('team_recovery_code')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
