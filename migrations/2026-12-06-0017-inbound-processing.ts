import type { Kysely } from 'kysely';

/**
 * Inbound processing (issue 13): a bounce of our own mail to a contact (a DSN saying delivery to
 * the contact's address failed) marks that address undeliverable, so the team sees that emails to
 * this customer do not arrive; a change of the contact's email clears it. And what the team's
 * quarantine list shows of a processed message (its From, subject and the start of its new text),
 * kept on the row so listing never re-reads raw messages from the file store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contact').addColumn('email_undeliverable_at', 'text').execute();
  await db.schema.alterTable('contact').addColumn('email_undeliverable_reason', 'text').execute();
  await db.schema.alterTable('inbound_message').addColumn('from_address', 'text').execute();
  await db.schema.alterTable('inbound_message').addColumn('subject', 'text').execute();
  await db.schema.alterTable('inbound_message').addColumn('preview', 'text').execute();
}
