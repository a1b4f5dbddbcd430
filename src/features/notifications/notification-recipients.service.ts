import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { listTeamMembers, type TeamMember } from '../team/team.service.js';

/** Roles told about customer activity until recipients become a tenant setting (team-app issue). */
const NOTIFIED_ROLES: ReadonlySet<TeamMember['role']> = new Set(['owner', 'admin']);

/**
 * The team members of the scope's tenant who are emailed about customer activity: for now every
 * active owner and admin. The one place this rule lives, so that per-tenant recipient settings
 * change only this function.
 */
export async function listNotificationRecipients(scope: TenantScope): Promise<TeamMember[]> {
  const members = await listTeamMembers(scope);
  return members.filter((m) => m.status === 'active' && NOTIFIED_ROLES.has(m.role));
}

/** The member if they are (still) a notification recipient of the scope's tenant, else undefined. */
export async function findNotificationRecipient(scope: TenantScope, memberId: string): Promise<TeamMember | undefined> {
  return (await listNotificationRecipients(scope)).find((m) => m.id === memberId);
}
