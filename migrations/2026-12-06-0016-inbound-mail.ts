import type { Kysely } from 'kysely';

/**
 * Inbound email (issue 13): every message accepted by one of the two doors (the SMTP listener, the
 * provider webhook) for a reply address that routes, one row per (message, reply address). The
 * raw MIME is in the file store (`raw_key`); the row and the outbox job that processes it are
 * written in one transaction, so a crash after accepting never loses the message, and the
 * unique (tenant, reply address, Message-ID) key makes a second delivery of the same mail a no-op.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_message')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('reply_address_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('door', 'text', (c) => c.notNull())
    .addColumn('envelope_from', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('raw_key', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('authentication', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('posted_message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addUniqueConstraint('inbound_message_tenant_id_key', ['tenant_id', 'id'])
    .addUniqueConstraint('inbound_message_once_key', ['tenant_id', 'reply_address_id', 'message_id'])
    .addForeignKeyConstraint('inbound_message_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('inbound_message_status_idx').on('inbound_message').columns(['tenant_id', 'status', 'created_at']).execute();
}
