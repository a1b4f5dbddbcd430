import type { Kysely } from 'kysely';

/** The dev mailbox keeps a message's attachments too (JSON: name, type, size, base64 content), as SMTP would have sent them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dev_mail').addColumn('attachments', 'text').execute();
}
