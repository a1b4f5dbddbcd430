import type { AccountMembership, TeamMember } from '../team/team.service.js';
import type { Tenant } from '../tenants/tenant.service.js';
import type { TTeamSession } from './team-auth.schemas.js';

/** The signed-in member, their organisation and the ones they may switch to (allow-listed fields). */
export function presentTeamSession(
  member: TeamMember,
  tenant: Pick<Tenant, 'id' | 'slug' | 'name'>,
  memberships: readonly AccountMembership[],
): TTeamSession {
  return {
    member: { id: member.id, name: member.name, email: member.email, role: member.role },
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    tenants: memberships.map((m) => ({ tenantId: m.tenantId, slug: m.tenantSlug, name: m.tenantName, memberId: m.memberId, role: m.role })),
  };
}
