import type { Selectable } from 'kysely';
import type { Executor, OperatorSessionTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';

/** A console session; `secondFactorAt` null means only the password was given (enrol/confirm TOTP only). */
export interface OperatorSession {
  readonly id: string;
  readonly operatorId: string;
  readonly secondFactorAt: Date | null;
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly revokedAt: Date | null;
}

function toSession(row: Selectable<OperatorSessionTable>): OperatorSession {
  return {
    id: row.id,
    operatorId: row.operator_id,
    secondFactorAt: row.second_factor_at ? fromDbTime(row.second_factor_at) : null,
    lastSeenAt: fromDbTime(row.last_seen_at),
    idleExpiresAt: fromDbTime(row.idle_expires_at),
    absoluteExpiresAt: fromDbTime(row.absolute_expires_at),
    revokedAt: row.revoked_at ? fromDbTime(row.revoked_at) : null,
  };
}

export async function insertOperatorSession(
  db: Executor,
  s: {
    id: string;
    operatorId: string;
    tokenHash: string;
    now: string;
    idleExpiresAt: string;
    absoluteExpiresAt: string;
    secondFactorAt: string | null;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('operator_session')
    .values({
      id: s.id,
      operator_id: s.operatorId,
      token_hash: s.tokenHash,
      created_at: s.now,
      last_seen_at: s.now,
      idle_expires_at: s.idleExpiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      second_factor_at: s.secondFactorAt,
      revoked_at: null,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** Found by its unique hash (the cookie names no tenant; operators belong to none). */
export async function findOperatorSessionByHash(db: Executor, tokenHash: string): Promise<OperatorSession | undefined> {
  const row = await db.selectFrom('operator_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row && toSession(row);
}

export async function touchOperatorSession(db: Executor, id: string, now: string, idleExpiresAt: string): Promise<void> {
  await db
    .updateTable('operator_session')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeOperatorSessionByHash(db: Executor, tokenHash: string, now: string): Promise<void> {
  await db
    .updateTable('operator_session')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of an operator (a password reset from the CLI); returns how many. */
export async function revokeAllOperatorSessions(db: Executor, operatorId: string, now: string): Promise<number> {
  const result = await db
    .updateTable('operator_session')
    .set({ revoked_at: now })
    .where('operator_id', '=', operatorId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
