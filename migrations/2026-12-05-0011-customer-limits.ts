import type { Kysely } from 'kysely';

/**
 * Per-customer limits (issue 11).
 *
 * `tenant.customer_limits`: per-customer limits: an organisation's own values for the portal limits of each
 * contact, as a JSON object of the limits it changed (`{"submissionsPerDay": 10}`), or NULL for
 * "the installation's defaults" (PORTAL_LIMIT_*) — every existing tenant, with no backfill. JSON
 * rather than a column per limit: limits come and go without a migration, and a value the code no
 * longer knows is ignored when read. Text on both dialects, like the outbox payload.
 *
 * `reply_address.notified_until`: the time of the newest customer message the pair's member was
 * emailed about on the ticket, so that the emails about a burst of messages combine into one
 * (customer-activity.job.ts). NULL: none since this column exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenant').addColumn('customer_limits', 'text').execute();
  await db.schema.alterTable('reply_address').addColumn('notified_until', 'text').execute();
}
