import type { Selectable } from 'kysely';
import type { SessionTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface Session {
  readonly id: string;
  readonly tenantId: string;
  readonly audience: 'portal' | 'team';
  readonly subjectId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly revokedAt: Date | null;
}

function toSession(row: Selectable<SessionTable>): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    audience: row.audience,
    subjectId: row.subject_id,
    createdAt: fromDbTime(row.created_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    idleExpiresAt: fromDbTime(row.idle_expires_at),
    absoluteExpiresAt: fromDbTime(row.absolute_expires_at),
    revokedAt: row.revoked_at ? fromDbTime(row.revoked_at) : null,
  };
}

export async function insertSession(
  scope: TenantScope,
  s: {
    id: string;
    audience: 'portal' | 'team';
    subjectId: string;
    tokenHash: string;
    now: string;
    idleExpiresAt: string;
    absoluteExpiresAt: string;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await scope
    .insertInto('session', {
      id: s.id,
      audience: s.audience,
      subject_id: s.subjectId,
      token_hash: s.tokenHash,
      created_at: s.now,
      last_seen_at: s.now,
      idle_expires_at: s.idleExpiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      revoked_at: null,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** A live session of the scope's tenant: not revoked, not idle too long, not past its absolute end. */
export async function findLiveSession(
  scope: TenantScope,
  tokenHash: string,
  audience: 'portal' | 'team',
  now: string,
): Promise<Session | undefined> {
  const row = await scope
    .selectFrom('session')
    .selectAll()
    .where('session.token_hash', '=', tokenHash)
    .where('session.audience', '=', audience)
    .where('session.revoked_at', 'is', null)
    .where('session.idle_expires_at', '>', now)
    .where('session.absolute_expires_at', '>', now)
    .executeTakeFirst();
  return row && toSession(row);
}

export async function touchSession(scope: TenantScope, id: string, now: string, idleExpiresAt: string): Promise<void> {
  await scope.updateTable('session').set({ last_seen_at: now, idle_expires_at: idleExpiresAt }).where('session.id', '=', id).execute();
}

export async function revokeSession(scope: TenantScope, id: string, now: string): Promise<void> {
  await scope
    .updateTable('session')
    .set({ revoked_at: now })
    .where('session.id', '=', id)
    .where('session.revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionByHash(scope: TenantScope, tokenHash: string, now: string): Promise<void> {
  await scope
    .updateTable('session')
    .set({ revoked_at: now })
    .where('session.token_hash', '=', tokenHash)
    .where('session.revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfSubject(
  scope: TenantScope,
  audience: 'portal' | 'team',
  subjectId: string,
  now: string,
): Promise<number> {
  const result = await scope
    .updateTable('session')
    .set({ revoked_at: now })
    .where('session.audience', '=', audience)
    .where('session.subject_id', '=', subjectId)
    .where('session.revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
