import type { Kysely } from 'kysely';

/**
 * Team settings: who receives the customer-activity emails, per membership.
 *
 * `team_member.notify_customer_activity` is a 0/1 flag, or NULL for "as the role says" (owners and
 * admins yes, agents no — the rule before this setting existed). NULL keeps that behaviour for
 * every existing membership and for memberships created later without a choice (an invited
 * admin), with no backfill; saving the notification settings writes 0 or 1 for every member.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('team_member').addColumn('notify_customer_activity', 'integer').execute();
}
