import type { Executor } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

/**
 * Team sessions live in the shared `session` table (audience `team`, tenant = the membership's
 * tenant, subject = the membership). A team cookie does not name its tenant (the team app is one
 * host for all organisations), so it is found by its token hash alone; everything after that is
 * scoped to the session's tenant. Rows are written and extended through the auth feature's
 * session service; here are only the lookups by hash that a tenant-less cookie needs.
 */
export interface TeamSessionRow {
  readonly id: string;
  readonly tenantId: string;
  readonly memberId: string;
  readonly lastSeenAt: Date;
  readonly absoluteExpiresAt: Date;
}

/** A live team session by token hash: not revoked, not idle too long, not past its absolute end. */
export async function findLiveTeamSession(db: Executor, tokenHash: string, now: string): Promise<TeamSessionRow | undefined> {
  // eslint-disable-next-line no-restricted-syntax -- a team cookie names no tenant: found by its unique hash, then scoped to its tenant
  const row = await db
    .selectFrom('session')
    .select(['id', 'tenant_id', 'subject_id', 'last_seen_at', 'absolute_expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('audience', '=', 'team')
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      tenantId: row.tenant_id,
      memberId: row.subject_id,
      lastSeenAt: fromDbTime(row.last_seen_at),
      absoluteExpiresAt: fromDbTime(row.absolute_expires_at),
    }
  );
}

/** Revokes the team session with this token hash, in whichever tenant it is (sign-out, switch). */
export async function revokeTeamSessionByHash(db: Executor, tokenHash: string, now: string): Promise<void> {
  // eslint-disable-next-line no-restricted-syntax -- the cookie is the only handle on its session; the hash is unique and audience-checked
  await db
    .updateTable('session')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('audience', '=', 'team')
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every team session of one membership (password reset, disabled member). */
export async function revokeTeamSessionsOfMember(scope: TenantScope, memberId: string, now: string): Promise<number> {
  const result = await scope
    .updateTable('session')
    .set({ revoked_at: now })
    .where('session.audience', '=', 'team')
    .where('session.subject_id', '=', memberId)
    .where('session.revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
