import type { TTeamMember } from './team.schemas.js';
import type { TeamMember } from './team.service.js';

/** A member as the team app shows it (allow-listed fields; never account secrets). */
export function presentTeamMember(member: TeamMember): TTeamMember {
  return {
    id: member.id,
    email: member.email,
    name: member.name,
    role: member.role,
    status: member.status,
    createdAt: member.createdAt.toISOString(),
  };
}
