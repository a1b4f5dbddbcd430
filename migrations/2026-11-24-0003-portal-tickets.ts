import type { Kysely } from 'kysely';

/**
 * The portal's ticket features: a ticket's status history, and the reply addresses that route
 * the team's email replies back to a ticket (inbound mail comes in a later issue).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ticket_event')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('ticket_event_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('ticket_event_ticket_idx').on('ticket_event').columns(['tenant_id', 'ticket_id', 'created_at']).execute();

  await db.schema
    .createTable('reply_address')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reply_address_ticket_recipient_key', ['tenant_id', 'ticket_id', 'recipient_kind', 'recipient_id'])
    .addForeignKeyConstraint('reply_address_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .execute();

  // Portal search by title within a client's tickets; the number is matched exactly.
  await db.schema.createIndex('ticket_client_number_idx').on('ticket').columns(['tenant_id', 'client_id', 'number']).execute();
}
