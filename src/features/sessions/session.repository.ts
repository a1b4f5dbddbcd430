import type { Selectable, SelectQueryBuilder } from 'kysely';
import type { Database, Executor, SessionTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { findTenantOfSession } from '../../platform/db/cross-tenant.repository.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';

/**
 * The one home of the `session` table, for both audiences: a portal session (subject = a contact)
 * and a team session (subject = a membership). Only the token's hash is stored.
 */
export type SessionAudience = 'portal' | 'team';

export interface Session {
  readonly id: string;
  readonly tenantId: string;
  readonly audience: SessionAudience;
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
    audience: SessionAudience;
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
  audience: SessionAudience,
  now: string,
): Promise<Session | undefined> {
  const row = await whereLive(scope.selectFrom('session').selectAll(), tokenHash, audience, now).executeTakeFirst();
  return row && toSession(row);
}

/**
 * A live session found by its token hash alone, in whichever tenant it is. Only for the team
 * cookie: the team app is one host for every organisation, so its cookie names no tenant; the
 * token's hash names it (cross-tenant.repository), and the session is read through that scope.
 */
export async function findLiveSessionInAnyTenant(
  db: Executor,
  tokenHash: string,
  audience: SessionAudience,
  now: string,
): Promise<Session | undefined> {
  const tenantId = await findTenantOfSession(db, tokenHash);
  return tenantId === undefined ? undefined : findLiveSession(forTenant(db, tenantId), tokenHash, audience, now);
}

/** Not revoked, not idle too long, not past its absolute end: the one definition of a live session. */
function whereLive<O>(query: SelectQueryBuilder<Database, 'session', O>, tokenHash: string, audience: SessionAudience, now: string) {
  return query
    .where('session.token_hash', '=', tokenHash)
    .where('session.audience', '=', audience)
    .where('session.revoked_at', 'is', null)
    .where('session.idle_expires_at', '>', now)
    .where('session.absolute_expires_at', '>', now);
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

export async function revokeSessionByHash(scope: TenantScope, tokenHash: string, audience: SessionAudience, now: string): Promise<void> {
  await scope
    .updateTable('session')
    .set({ revoked_at: now })
    .where('session.token_hash', '=', tokenHash)
    .where('session.audience', '=', audience)
    .where('session.revoked_at', 'is', null)
    .execute();
}

export async function revokeSessionsOfSubject(
  scope: TenantScope,
  audience: SessionAudience,
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

/** Revokes every live session in the scope's tenant, portal and team alike (the tenant is suspended). */
export async function revokeAllSessionsOfTenant(scope: TenantScope, now: string): Promise<number> {
  const result = await scope.updateTable('session').set({ revoked_at: now }).where('session.revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
