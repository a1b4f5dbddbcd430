import type { Kysely } from 'kysely';

/**
 * Malware scanning of uploads (files issue, part B2): each file's verdict. Files that exist
 * already, and every file of an installation without a scanner (CLAMAV_URL unset), are
 * `not_scanned` and served as before; with a scanner a new file is `pending` until clamd has
 * answered, then `clean` or `infected` (its bytes deleted, the row kept so the message says so).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('file')
    .addColumn('scan_status', 'text', (c) => c.notNull().defaultTo('not_scanned'))
    .execute();
}
