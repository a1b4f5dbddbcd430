import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { findCustomerActivityChoices, listTeamMembers, setCustomerActivityRecipients, type TeamMember } from '../team/team.service.js';

/** Roles told about customer activity when nobody has chosen otherwise (the rule before the setting). */
const NOTIFIED_ROLES: ReadonlySet<TeamMember['role']> = new Set(['owner', 'admin']);

/**
 * The team members of the scope's tenant who are emailed about customer activity: active members
 * who were chosen in the notification settings, or — for members nobody has chosen for or
 * against — every active owner and admin. The one place this rule lives.
 */
export async function listNotificationRecipients(scope: TenantScope): Promise<TeamMember[]> {
  const members = await listTeamMembers(scope);
  const choices = await findCustomerActivityChoices(scope);
  return members.filter((m) => m.status === 'active' && (choices.get(m.id) ?? NOTIFIED_ROLES.has(m.role)));
}

/** The member if they are (still) a notification recipient of the scope's tenant, else undefined. */
export async function findNotificationRecipient(scope: TenantScope, memberId: string): Promise<TeamMember | undefined> {
  return (await listNotificationRecipients(scope)).find((m) => m.id === memberId);
}

/**
 * Makes exactly these members (ids the caller has checked are active members of the scope's
 * tenant) the recipients of customer-activity emails; every other member stops receiving them.
 */
export async function setNotificationRecipients(scope: TenantScope, memberIds: readonly string[]): Promise<void> {
  await setCustomerActivityRecipients(scope, memberIds);
}
