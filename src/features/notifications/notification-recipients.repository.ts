import type { TenantScope } from '../../platform/db/tenant-scope.js';

/**
 * The customer-activity email choice stored on each membership (`team_member.notify_customer_activity`,
 * migration 0007). The notifications feature owns this one column: the rest of the row is the team
 * feature's, read through its service.
 */

/** The explicit choices (members whose flag is NULL follow their role and are absent). */
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
