import type { Executor } from './database.js';

/** Runs `fn` in a transaction, or inside the caller's when one is already open (Kysely cannot nest). */
export async function inTransaction<R>(db: Executor, fn: (trx: Executor) => Promise<R>): Promise<R> {
  if (db.isTransaction) return fn(db);
  // When the work fails and the rollback fails too (SQLite after a full disk: "cannot rollback -
  // no transaction is active"), the work's error is the one that says what happened.
  let failure: { error: unknown } | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      try {
        return await fn(trx);
      } catch (error) {
        failure = { error };
        throw error;
      }
    });
  } catch (error) {
    throw failure && failure.error !== error ? failure.error : error;
  }
}
