import type { Kysely } from 'kysely';

/**
 * Quotes (issue 12).
 *
 * - `quote`: one quote of a client (optionally on one of its tickets), numbered per tenant
 *   (`Q-12`, from `tenant.next_quote_number`). It holds the status and a copy of its current
 *   version's content (what lists show). Amounts are bigint minor units (a quote may exceed the
 *   32-bit `integer` a ticket charge uses); `lapses_at` is the instant the quote expires (the end
 *   of `valid_until` in the organisation's time zone).
 * - `quote_version`: every version as it was sent, immutable once sent (a draft's version 1 is
 *   rewritten while it is a draft), with the SHA-256 of its canonical content — what an
 *   acceptance signs.
 * - `quote_recipient`: the contacts a quote is (to be) emailed to; "sent to this contact" for the
 *   portal's "own" visibility.
 * - `quote_acceptance`: the one immutable acceptance of a quote (UNIQUE quote_id: 20 parallel
 *   accepts store one); the drawn signature as a small re-encoded PNG in base64 text (dialect-neutral).
 * - `quote_event`: the quote's history (created, sent, revised, viewed, accepted, …).
 * - `tenant.next_quote_number`, `tenant.quote_default_terms`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenant')
    .addColumn('next_quote_number', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('tenant')
    .addColumn('quote_default_terms', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('quote')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('lapses_at', 'text')
    .addColumn('requires_signature', 'integer', (c) => c.notNull())
    .addColumn('first_viewed_at', 'text')
    .addColumn('first_viewed_by_contact_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by_contact_id', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('created_by_member_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_tenant_id_key', ['tenant_id', 'id'])
    .addUniqueConstraint('quote_tenant_number_key', ['tenant_id', 'number'])
    .addForeignKeyConstraint('quote_client_fk', ['tenant_id', 'client_id'], 'client', ['tenant_id', 'id'])
    .addForeignKeyConstraint('quote_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('quote_tenant_updated_idx').on('quote').columns(['tenant_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('quote_client_idx').on('quote').columns(['tenant_id', 'client_id', 'updated_at']).execute();
  await db.schema.createIndex('quote_ticket_idx').on('quote').columns(['tenant_id', 'ticket_id']).execute();
  await db.schema.createIndex('quote_lapses_idx').on('quote').columns(['status', 'lapses_at']).execute();

  await db.schema
    .createTable('quote_version')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('quote_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('discount', 'text')
    .addColumn('subtotal', 'bigint', (c) => c.notNull())
    .addColumn('discount_amount', 'bigint', (c) => c.notNull())
    .addColumn('tax', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('requires_signature', 'integer', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('created_by_member_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_version_key', ['tenant_id', 'quote_id', 'version'])
    .addForeignKeyConstraint('quote_version_quote_fk', ['tenant_id', 'quote_id'], 'quote', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('quote_recipient')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('quote_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_recipient_key', ['tenant_id', 'quote_id', 'contact_id'])
    .addForeignKeyConstraint('quote_recipient_quote_fk', ['tenant_id', 'quote_id'], 'quote', ['tenant_id', 'id'])
    .addForeignKeyConstraint('quote_recipient_contact_fk', ['tenant_id', 'contact_id'], 'contact', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('quote_recipient_contact_idx').on('quote_recipient').columns(['tenant_id', 'contact_id']).execute();

  await db.schema
    .createTable('quote_acceptance')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('quote_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signature_kind', 'text', (c) => c.notNull())
    .addColumn('signature_png', 'text')
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_acceptance_quote_key', ['tenant_id', 'quote_id'])
    .addForeignKeyConstraint('quote_acceptance_quote_fk', ['tenant_id', 'quote_id'], 'quote', ['tenant_id', 'id'])
    .addForeignKeyConstraint('quote_acceptance_contact_fk', ['tenant_id', 'contact_id'], 'contact', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('quote_event')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('quote_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('quote_event_quote_fk', ['tenant_id', 'quote_id'], 'quote', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('quote_event_quote_idx').on('quote_event').columns(['tenant_id', 'quote_id', 'created_at']).execute();
}
