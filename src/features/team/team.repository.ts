import type { Selectable } from 'kysely';
import type { Executor, TeamMemberTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { findTenantOfInvitation, listMembershipRowsOfAccount } from '../../platform/db/cross-tenant.repository.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';

/** A membership: one person (`accountId`) in one tenant, with a role there. */
export interface TeamMember {
  readonly id: string;
  readonly tenantId: string;
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'owner' | 'admin' | 'agent';
  readonly status: 'active' | 'disabled' | 'invited';
  readonly createdAt: Date;
}

/** A membership seen from the account's side: which organisation, for the tenant switcher. */
export interface AccountMembership {
  readonly memberId: string;
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly tenantStatus: 'active' | 'suspended';
  readonly role: TeamMember['role'];
  readonly status: TeamMember['status'];
  readonly createdAt: Date;
}

export interface PendingInvitation {
  readonly member: TeamMember;
  readonly expiresAt: Date;
  readonly invitedById: string | null;
}

function toTeamMember(row: Selectable<TeamMemberTable>): TeamMember {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    createdAt: fromDbTime(row.created_at),
  };
}

export async function insertTeamMember(
  scope: TenantScope,
  m: {
    id: string;
    accountId: string;
    email: string;
    name: string;
    role: TeamMember['role'];
    status: TeamMember['status'];
    now: string;
  },
): Promise<TeamMember> {
  const row = await scope
    .insertInto('team_member', {
      id: m.id,
      account_id: m.accountId,
      email: m.email,
      name: m.name,
      role: m.role,
      status: m.status,
      invite_token_hash: null,
      invite_expires_at: null,
      invited_by_id: null,
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

export async function findTeamMemberById(scope: TenantScope, id: string): Promise<TeamMember | undefined> {
  const row = await scope.selectFrom('team_member').selectAll().where('team_member.id', '=', id).executeTakeFirst();
  return row && toTeamMember(row);
}

export async function findTeamMemberOfAccount(scope: TenantScope, accountId: string): Promise<TeamMember | undefined> {
  const row = await scope.selectFrom('team_member').selectAll().where('team_member.account_id', '=', accountId).executeTakeFirst();
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

export async function updateTeamMember(
  scope: TenantScope,
  id: string,
  patch: { role?: TeamMember['role']; status?: TeamMember['status']; name?: string; now: string },
): Promise<TeamMember | undefined> {
  const row = await scope
    .updateTable('team_member')
    .set({
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.name ? { name: patch.name } : {}),
      updated_at: patch.now,
    })
    .where('team_member.id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toTeamMember(row);
}

export async function countActiveOwners(scope: TenantScope): Promise<number> {
  const row = await scope
    .selectFrom('team_member')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('team_member.role', '=', 'owner')
    .where('team_member.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores a new invitation token (its hash) on an invited membership; an older one stops working. */
export async function setInvitation(
  scope: TenantScope,
  memberId: string,
  invite: { tokenHash: string; expiresAt: string; invitedById: string | null; now: string },
): Promise<void> {
  await scope
    .updateTable('team_member')
    .set({
      invite_token_hash: invite.tokenHash,
      invite_expires_at: invite.expiresAt,
      invited_by_id: invite.invitedById,
      updated_at: invite.now,
    })
    .where('team_member.id', '=', memberId)
    .execute();
}

/**
 * The invited membership a token belongs to: the token names its tenant (cross-tenant.repository),
 * the membership is read through that tenant's scope.
 */
export async function findInvitationByTokenHash(db: Executor, tokenHash: string): Promise<PendingInvitation | undefined> {
  const tenantId = await findTenantOfInvitation(db, tokenHash);
  if (tenantId === undefined) return undefined;
  const scope = forTenant(db, tenantId);
  const row = await scope
    .selectFrom('team_member')
    .selectAll()
    .where('team_member.invite_token_hash', '=', tokenHash)
    .where('team_member.status', '=', 'invited')
    .executeTakeFirst();
  if (!row?.invite_expires_at) return undefined;
  return { member: toTeamMember(row), expiresAt: fromDbTime(row.invite_expires_at), invitedById: row.invited_by_id };
}

/** Spends an invitation once (a conditional update): the membership becomes active. */
export async function acceptInvitation(scope: TenantScope, memberId: string, tokenHash: string, now: string): Promise<boolean> {
  const result = await scope
    .updateTable('team_member')
    .set({ status: 'active', invite_token_hash: null, invite_expires_at: null, updated_at: now })
    .where('team_member.id', '=', memberId)
    .where('team_member.invite_token_hash', '=', tokenHash)
    .where('team_member.status', '=', 'invited')
    .where('team_member.invite_expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Every membership of an account, with its organisation, A to Z (they span tenants: cross-tenant.repository). */
export async function listMembershipsOfAccount(db: Executor, accountId: string): Promise<AccountMembership[]> {
  const rows = await listMembershipRowsOfAccount(db, accountId);
  return rows.map((r) => ({ ...r, createdAt: fromDbTime(r.createdAt) }));
}

/**
 * The customer-activity email choice stored on each membership (`team_member.notify_customer_activity`,
 * migration 0007), used by the notifications feature through the team service.
 * The explicit choices (members whose flag is NULL follow their role and are absent). */
export async function findCustomerActivityChoices(scope: TenantScope): Promise<Map<string, boolean>> {
  const rows = await scope
    .selectFrom('team_member')
    .select(['team_member.id', 'team_member.notify_customer_activity'])
    .where('team_member.notify_customer_activity', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.notify_customer_activity === 1]));
}

/** Makes exactly these members the recipients: 1 for them, 0 for every other member of the tenant. */
export async function saveCustomerActivityRecipients(scope: TenantScope, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length > 0) {
    await scope
      .updateTable('team_member')
      .set({ notify_customer_activity: 1 })
      .where('team_member.id', 'in', [...memberIds])
      .execute();
  }
  let others = scope.updateTable('team_member').set({ notify_customer_activity: 0 });
  if (memberIds.length > 0) others = others.where('team_member.id', 'not in', [...memberIds]);
  await others.execute();
}
