import type { Executor } from './database.js';

/** Runs `fn` in a transaction, or inside the caller's when one is already open (Kysely cannot nest). */
export async function inTransaction<R>(db: Executor, fn: (trx: Executor) => Promise<R>): Promise<R> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
