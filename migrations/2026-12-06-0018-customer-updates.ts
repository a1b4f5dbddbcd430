import type { Kysely } from 'kysely';

/**
 * Emails to customers (issue 13).
 *
 * `contact.email_updates_off_at`: when the contact stopped the non-essential emails about their
 * tickets (status changes, visits, the "we received your request" confirmation) — by the one-click
 * unsubscribe link of such an email, its confirm page, or their portal profile. NULL: updates on,
 * every existing contact, with no backfill. Replies of the team, sign-in and quote emails are sent
 * regardless. An ISO time as text, like every time column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contact').addColumn('email_updates_off_at', 'text').execute();
}
