import type { Kysely } from 'kysely';

/**
 * Files: uploads attached to messages and profile photos (SECURITY.md §5). One row per file; its
 * bytes live in the FileStore under generated keys (`tenants/{tenant}/files/{id}/{variant}`), the
 * user's filename is display metadata only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A file references its message by (tenant_id, id), so the database refuses a cross-tenant link.
  await db.schema.createIndex('message_tenant_id_key').unique().on('message').columns(['tenant_id', 'id']).execute();

  await db.schema
    .createTable('file')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_kind', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('display_size', 'integer')
    .addColumn('thumb_size', 'integer')
    .addColumn('ticket_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('attached_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('file_tenant_id_key', ['tenant_id', 'id'])
    .addForeignKeyConstraint('file_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .addForeignKeyConstraint('file_message_fk', ['tenant_id', 'message_id'], 'message', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('file_message_idx').on('file').columns(['tenant_id', 'message_id']).execute();
  await db.schema.createIndex('file_ticket_idx').on('file').columns(['tenant_id', 'ticket_id']).execute();
  // The worker's sweep of uploads never attached (and of uploads a crash left half-written).
  await db.schema.createIndex('file_unattached_idx').on('file').columns(['attached_at', 'created_at']).execute();

  await db.schema.alterTable('contact').dropColumn('photo_key').execute();
  await db.schema.alterTable('contact').addColumn('photo_file_id', 'text').execute();
}
