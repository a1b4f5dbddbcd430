import type { AppContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import * as repo from './team.repository.js';
import type { TeamMember } from './team.repository.js';
import { type TAddTeamMemberRequest, ZAddTeamMemberRequest } from './team.schemas.js';

export type { TeamMember } from './team.repository.js';

/**
 * Adds a member of staff to a tenant. Passwords are set through team sign-in (invitation or
 * reset), which arrives with the team app; until then the member exists without one.
 * @throws VALIDATION_FAILED, TENANT_NOT_FOUND, EMAIL_TAKEN
 */
export async function addTeamMember(
  ctx: AppContext,
  tenantId: string,
  input: TAddTeamMemberRequest,
  actor: { kind: 'operator' | 'system' | 'team_member'; id?: string } = { kind: 'system' },
): Promise<TeamMember> {
  const data = parseInput(ZAddTeamMemberRequest, input);
  const email = requireEmail(data.email);
  if (!(await findTenantById(ctx.db, tenantId))) throw new AppError('TENANT_NOT_FOUND');
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    if (await repo.findTeamMemberByEmail(scope, email)) throw new AppError('EMAIL_TAKEN');
    const member = await repo.insertTeamMember(scope, {
      id: newId(),
      email,
      name: data.name,
      role: data.role,
      passwordHash: null,
      now: toDbTime(ctx.clock.now()),
    });
    await recordAuditEvent(scope.db, ctx.clock, {
      tenantId,
      actor,
      action: 'team_member.added',
      subject: { kind: 'team_member', id: member.id },
      data: { role: member.role },
    });
    return member;
  });
}

export async function listTeamMembers(scope: TenantScope): Promise<TeamMember[]> {
  return repo.listTeamMembers(scope);
}

/** Several members at once (one query), e.g. the authors of a conversation. */
export async function findTeamMembersByIds(scope: TenantScope, ids: readonly string[]): Promise<TeamMember[]> {
  return repo.findTeamMembersByIds(scope, ids);
}
