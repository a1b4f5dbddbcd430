import type { AppContext, ScopeContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { changesOf, recordAuditEvent } from '../audit/audit.service.js';
import { ensureTeamAccount } from '../auth/team-account.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import * as repo from './team.repository.js';
import type { AccountMembership, PendingInvitation, TeamMember } from './team.repository.js';
import {
  type TAddTeamMemberRequest,
  type TUpdateTeamMemberRequest,
  ZAddTeamMemberRequest,
  ZUpdateTeamMemberRequest,
} from './team.schemas.js';
import { requireTeamRole, type TeamViewer } from './team-viewer.js';

export type { AccountMembership, PendingInvitation, TeamMember } from './team.repository.js';

type Actor = { kind: 'operator' | 'system' | 'team_member'; id?: string };

/**
 * Adds a member of staff to a tenant: the person's account (found by email, or created without a
 * password) and a membership with the role. `invited` memberships become active when the
 * invitation is accepted (team-auth's invitation service); the CLI, the seed and tests add
 * active ones directly.
 * @throws VALIDATION_FAILED, TENANT_NOT_FOUND, EMAIL_TAKEN
 */
export async function addTeamMember(
  ctx: ScopeContext,
  tenantId: string,
  input: TAddTeamMemberRequest,
  actor: Actor = { kind: 'system' },
  options: { status?: 'active' | 'invited' } = {},
): Promise<TeamMember> {
  const data = parseInput(ZAddTeamMemberRequest, input);
  const email = requireEmail(data.email);
  if (!(await findTenantById(ctx.db, tenantId))) throw new AppError('TENANT_NOT_FOUND');
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    if (await repo.findTeamMemberByEmail(scope, email)) throw new AppError('EMAIL_TAKEN');
    const account = await ensureTeamAccount(scope, ctx, { email, name: data.name });
    const member = await repo.insertTeamMember(scope, {
      id: newId(),
      accountId: account.id,
      email: account.email,
      name: data.name,
      role: data.role,
      status: options.status ?? 'active',
      now: toDbTime(ctx.clock.now()),
    });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      actor,
      action: member.status === 'invited' ? 'team_member.invited' : 'team_member.added',
      subject: { kind: 'team_member', id: member.id },
      data: { role: member.role },
    });
    return member;
  });
}

/**
 * Changes a member's role or status (owner/admin only; only an owner grants or changes the owner
 * role; the last active owner can be neither demoted nor disabled). Audited.
 * @throws FORBIDDEN, TEAM_MEMBER_NOT_FOUND, LAST_OWNER, VALIDATION_FAILED
 */
export async function updateTeamMember(
  ctx: AppContext,
  viewer: TeamViewer,
  memberId: string,
  input: TUpdateTeamMemberRequest,
): Promise<TeamMember> {
  requireTeamRole(viewer, 'admin');
  const patch = parseInput(ZUpdateTeamMemberRequest, input);
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const member = await repo.findTeamMemberById(scope, memberId);
    if (!member) throw new AppError('TEAM_MEMBER_NOT_FOUND');
    // Owners are changed (role or status) and made only by owners.
    if (viewer.role !== 'owner' && (member.role === 'owner' || patch.role === 'owner')) {
      throw new AppError('FORBIDDEN', 'Only an owner can change an owner or make someone an owner.');
    }
    if (patch.status === 'active' && member.status === 'invited') {
      throw new AppError('VALIDATION_FAILED', 'An invitation becomes active when it is accepted.', {
        details: [{ path: 'status', message: 'must be active or disabled' }],
      });
    }
    const losesOwner =
      member.role === 'owner' && member.status === 'active' && ((patch.role && patch.role !== 'owner') || patch.status === 'disabled');
    if (losesOwner && (await repo.countActiveOwners(scope)) <= 1) throw new AppError('LAST_OWNER');
    const updated = await repo.updateTeamMember(scope, member.id, { ...patch, now: toDbTime(ctx.clock.now()) });
    if (!updated) throw new AppError('TEAM_MEMBER_NOT_FOUND');
    // One audit event per kind of change, with its old and new value.
    for (const [field, change] of Object.entries(changesOf(member, patch, ['role', 'status']))) {
      await recordAuditEvent(scope, ctx.clock, {
        tenantId: viewer.tenant.id,
        actor: { kind: 'team_member', id: viewer.memberId },
        action: `team_member.${field}_changed`,
        subject: { kind: 'team_member', id: member.id },
        data: change,
      });
    }
    return updated;
  });
}

export async function listTeamMembers(scope: TenantScope): Promise<TeamMember[]> {
  return repo.listTeamMembers(scope);
}

/** Several members at once (one query), e.g. the authors of a conversation. */
export async function findTeamMembersByIds(scope: TenantScope, ids: readonly string[]): Promise<TeamMember[]> {
  return repo.findTeamMembersByIds(scope, ids);
}

export async function findTeamMemberById(scope: TenantScope, id: string): Promise<TeamMember | undefined> {
  return repo.findTeamMemberById(scope, id);
}

export async function findTeamMemberByEmail(scope: TenantScope, email: string): Promise<TeamMember | undefined> {
  return repo.findTeamMemberByEmail(scope, email);
}

/** The membership of an account in the scope's tenant, whatever its status. */
export async function findTeamMemberOfAccount(scope: TenantScope, accountId: string): Promise<TeamMember | undefined> {
  return repo.findTeamMemberOfAccount(scope, accountId);
}

/** Every membership of one person, with the organisation's name and status (tenant switcher). */
export async function listMembershipsOfAccount(db: Executor, accountId: string): Promise<AccountMembership[]> {
  return repo.listMembershipsOfAccount(db, accountId);
}

/** Records a new invitation token (its hash) on an invited membership; older tokens stop working. */
export async function storeInvitation(
  scope: TenantScope,
  memberId: string,
  invite: { tokenHash: string; expiresAt: string; invitedById: string | null; now: string },
): Promise<void> {
  await repo.setInvitation(scope, memberId, invite);
}

export async function findInvitationByTokenHash(db: Executor, tokenHash: string): Promise<PendingInvitation | undefined> {
  return repo.findInvitationByTokenHash(db, tokenHash);
}

/** Activates an invited membership once; false when the token was spent, replaced or expired. */
export async function activateInvitedMember(scope: TenantScope, memberId: string, tokenHash: string, now: string): Promise<boolean> {
  return repo.acceptInvitation(scope, memberId, tokenHash, now);
}

export async function renameTeamMember(scope: TenantScope, memberId: string, name: string, now: string): Promise<void> {
  await repo.updateTeamMember(scope, memberId, { name, now });
}

/** The members' explicit choices about customer-activity emails (absent: they follow their role). */
export async function findCustomerActivityChoices(scope: TenantScope): Promise<Map<string, boolean>> {
  return repo.findCustomerActivityChoices(scope);
}

/** Makes exactly these members (checked by the caller) the ones who chose customer-activity emails; everyone else opts out. */
export async function setCustomerActivityRecipients(scope: TenantScope, memberIds: readonly string[]): Promise<void> {
  await repo.saveCustomerActivityRecipients(scope, memberIds);
}
