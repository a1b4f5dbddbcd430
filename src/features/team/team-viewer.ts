import { AppError } from '../../platform/errors.js';
import type { Tenant } from '../tenants/tenant.service.js';
import type { TeamMember } from './team.repository.js';

/**
 * The signed-in team member of a team-app request, as the session established it (never from
 * input): one membership of one tenant. Team routes read it as `request.teamViewer` (http/team-surface.ts)
 * and pass it to services, which scope every query by `tenant.id`.
 */
export interface TeamViewer {
  readonly tenant: Tenant;
  /** The membership (`team_member.id`) in this tenant. */
  readonly memberId: string;
  readonly name: string;
  readonly email: string;
  readonly role: TeamMember['role'];
}

const RANK: Record<TeamMember['role'], number> = { agent: 0, admin: 1, owner: 2 };

/**
 * Role rules live on the server (the UI only hides what it may not do): owners and admins change
 * settings and the team; agents work tickets, clients and contacts.
 * @throws FORBIDDEN
 */
export function requireTeamRole(viewer: TeamViewer, atLeast: TeamMember['role']): void {
  if (RANK[viewer.role] < RANK[atLeast]) throw new AppError('FORBIDDEN', `This needs the ${atLeast} role or higher.`);
}
