import type { Selectable } from 'kysely';
import type { TeamMemberTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface TeamMember {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'owner' | 'admin' | 'agent';
  readonly status: 'active' | 'disabled';
  readonly createdAt: Date;
}

function toTeamMember(row: Selectable<TeamMemberTable>): TeamMember {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    createdAt: fromDbTime(row.created_at),
  };
}

export async function insertTeamMember(
  scope: TenantScope,
  m: { id: string; email: string; name: string; role: TeamMember['role']; passwordHash: string | null; now: string },
): Promise<TeamMember> {
  const row = await scope
    .insertInto('team_member', {
      id: m.id,
      email: m.email,
      name: m.name,
      role: m.role,
      password_hash: m.passwordHash,
      created_at: m.now,
      updated_at: m.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTeamMember(row);
}

export async function findTeamMemberByEmail(scope: TenantScope, email: string): Promise<TeamMember | undefined> {
  const row = await scope.selectFrom('team_member').selectAll().where('team_member.email', '=', email).executeTakeFirst();
  return row && toTeamMember(row);
}

export async function listTeamMembers(scope: TenantScope): Promise<TeamMember[]> {
  const rows = await scope.selectFrom('team_member').selectAll().orderBy('team_member.name').orderBy('team_member.id').execute();
  return rows.map(toTeamMember);
}

/** Several members at once (one query), for showing authors' names. */
export async function findTeamMembersByIds(scope: TenantScope, ids: readonly string[]): Promise<TeamMember[]> {
  if (ids.length === 0) return [];
  const rows = await scope
    .selectFrom('team_member')
    .selectAll()
    .where('team_member.id', 'in', [...ids])
    .execute();
  return rows.map(toTeamMember);
}
