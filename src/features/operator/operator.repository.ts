import type { Executor } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';

/** Operators run the installation; they belong to no tenant, so this table is not tenant-scoped. */
export interface Operator {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly createdAt: Date;
}

export async function insertOperator(db: Executor, o: { id: string; email: string; name: string; now: string }): Promise<Operator> {
  const row = await db
    .insertInto('operator')
    .values({ id: o.id, email: o.email, name: o.name, password_hash: null, created_at: o.now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, name: row.name, createdAt: fromDbTime(row.created_at) };
}

export async function findOperatorByEmail(db: Executor, email: string): Promise<Operator | undefined> {
  const row = await db.selectFrom('operator').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { id: row.id, email: row.email, name: row.name, createdAt: fromDbTime(row.created_at) };
}
