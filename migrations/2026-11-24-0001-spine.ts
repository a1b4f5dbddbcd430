import type { Kysely } from 'kysely';

/**
 * The spine: tenants, their people, tickets and messages, the audit log and the outbox.
 * Frozen once landed: later changes are new migrations. Portable across SQLite and PostgreSQL:
 * text ids, text ISO-8601 UTC timestamps, integer flags and money (see platform/db/database.ts).
 * Child tables reference their parent through `(tenant_id, id)` so that a row can never point at
 * another tenant's row, whatever the code does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('accent_color', 'text', (c) => c.notNull())
    .addColumn('logo_key', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('portal_submissions_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('portal_reopen_on_reply', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('client_visibility_default', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('next_ticket_number', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('team_member')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('team_member_tenant_email_key', ['tenant_id', 'email'])
    .addUniqueConstraint('team_member_tenant_id_key', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('client')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ticket_visibility', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('client_tenant_id_key', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('client_tenant_name_idx').on('client').columns(['tenant_id', 'name']).execute();

  await db.schema
    .createTable('contact')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('photo_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contact_tenant_email_key', ['tenant_id', 'email'])
    .addUniqueConstraint('contact_tenant_id_key', ['tenant_id', 'id'])
    .addForeignKeyConstraint('contact_client_fk', ['tenant_id', 'client_id'], 'client', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('contact_tenant_client_idx').on('contact').columns(['tenant_id', 'client_id']).execute();

  await db.schema
    .createTable('ticket')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('requester_contact_id', 'text')
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'text')
    .addColumn('charge_amount', 'integer')
    .addColumn('charge_currency', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_kind', 'text')
    .addColumn('closed_by_id', 'text')
    .addUniqueConstraint('ticket_tenant_number_key', ['tenant_id', 'number'])
    .addUniqueConstraint('ticket_tenant_id_key', ['tenant_id', 'id'])
    .addForeignKeyConstraint('ticket_client_fk', ['tenant_id', 'client_id'], 'client', ['tenant_id', 'id'])
    .addForeignKeyConstraint('ticket_requester_fk', ['tenant_id', 'requester_contact_id'], 'contact', ['tenant_id', 'id'])
    .execute();
  // The portal lists a client's tickets newest activity first with a keyset on (last_activity_at, id).
  await db.schema
    .createIndex('ticket_client_activity_idx')
    .on('ticket')
    .columns(['tenant_id', 'client_id', 'last_activity_at', 'id'])
    .execute();
  await db.schema.createIndex('ticket_tenant_activity_idx').on('ticket').columns(['tenant_id', 'last_activity_at', 'id']).execute();
  await db.schema.createIndex('ticket_tenant_status_idx').on('ticket').columns(['tenant_id', 'status']).execute();

  await db.schema
    .createTable('message')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('email_message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('message_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('message_ticket_idx').on('message').columns(['tenant_id', 'ticket_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.references('tenant.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('data', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_event_tenant_idx').on('audit_event').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.references('tenant.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'run_at']).execute();

  await db.schema
    .createTable('operator')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
