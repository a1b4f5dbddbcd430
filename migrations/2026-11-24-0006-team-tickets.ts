import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The team's inbox and ticket page: who a ticket is assigned to, what the inbox filters and sorts
 * on, the full history of ticket changes, and which tickets each member has read.
 *
 * - `ticket.assignee_id`: a member of the ticket's own tenant. PostgreSQL gets the composite
 *   foreign key `(tenant_id, assignee_id) → team_member (tenant_id, id)` like every other child
 *   row; SQLite cannot add a composite key to an existing table without rebuilding it (and every
 *   table that references it), so there the column references `team_member.id` and two triggers
 *   refuse a member of another tenant — the same guarantee.
 * - `ticket.priority_rank` (low 0 … urgent 3) so "sort by priority" is an index walk, not text order.
 * - `ticket.last_customer_message_at` / `last_team_reply_at`: the latest public message of each side
 *   (maintained where messages are added), for "awaiting a reply" and "unread" without reading messages.
 * - `ticket_event.from_value` / `to_value`: old and new value of a change (status, priority,
 *   assignee id, scheduled time, charge as JSON); `status` stays the new status of status events.
 * - `ticket_read`: when a member last opened a ticket.
 *
 * Indexes: the inbox is keyset-paginated on one index per sort, `tenant_id` first — activity
 * (existing ticket_tenant_activity_idx, plus a partial one over tickets not closed, the default
 * view), created (the existing unique (tenant_id, number)), priority and scheduled (new) — and the
 * equality filters that narrow most get their own (client: existing; assignee: new). Other filters
 * are checked along the walk, which stops after one page.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any> (frozen, untyped by design)
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  if (postgres) {
    await db.schema.alterTable('ticket').addColumn('assignee_id', 'text').execute();
    await db.schema
      .alterTable('ticket')
      .addForeignKeyConstraint('ticket_assignee_fk', ['tenant_id', 'assignee_id'], 'team_member', ['tenant_id', 'id'])
      .execute();
  } else {
    await db.schema
      .alterTable('ticket')
      .addColumn('assignee_id', 'text', (c) => c.references('team_member.id'))
      .execute();
    // Dialect branch (see above): the tenant half of the composite key, as triggers.
    for (const [name, event] of [
      ['ticket_assignee_tenant_insert', 'insert'],
      ['ticket_assignee_tenant_update', 'update of assignee_id, tenant_id'],
    ] as const) {
      await sql`
        create trigger ${sql.raw(name)} before ${sql.raw(event)} on ticket
        when new.assignee_id is not null
          and not exists (select 1 from team_member m where m.id = new.assignee_id and m.tenant_id = new.tenant_id)
        begin
          select raise(abort, 'FOREIGN KEY constraint failed (ticket_assignee_fk)');
        end`.execute(db);
    }
  }

  // Every writer sets the rank with the priority; the default only fills existing rows before the backfill.
  await db.schema
    .alterTable('ticket')
    .addColumn('priority_rank', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('ticket').addColumn('last_customer_message_at', 'text').execute();
  await db.schema.alterTable('ticket').addColumn('last_team_reply_at', 'text').execute();
  await sql`
    update ticket set
      priority_rank = case priority when 'low' then 0 when 'normal' then 1 when 'high' then 2 when 'urgent' then 3 else 1 end,
      last_customer_message_at = (
        select max(m.created_at) from message m
        where m.tenant_id = ticket.tenant_id and m.ticket_id = ticket.id and m.visibility = 'public' and m.author_kind = 'contact'
      ),
      last_team_reply_at = (
        select max(m.created_at) from message m
        where m.tenant_id = ticket.tenant_id and m.ticket_id = ticket.id and m.visibility = 'public' and m.author_kind = 'team_member'
      )`.execute(db);

  await db.schema.alterTable('ticket_event').addColumn('from_value', 'text').execute();
  await db.schema.alterTable('ticket_event').addColumn('to_value', 'text').execute();
  await sql`update ticket_event set to_value = status where kind = 'status_changed'`.execute(db);

  await db.schema
    .createTable('ticket_read')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ticket_read_ticket_member_key', ['tenant_id', 'ticket_id', 'member_id'])
    .addForeignKeyConstraint('ticket_read_ticket_fk', ['tenant_id', 'ticket_id'], 'ticket', ['tenant_id', 'id'])
    .addForeignKeyConstraint('ticket_read_member_fk', ['tenant_id', 'member_id'], 'team_member', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createIndex('ticket_open_activity_idx')
    .on('ticket')
    .columns(['tenant_id', 'last_activity_at', 'id'])
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
  await db.schema
    .createIndex('ticket_assignee_activity_idx')
    .on('ticket')
    .columns(['tenant_id', 'assignee_id', 'last_activity_at', 'id'])
    .execute();
  await db.schema
    .createIndex('ticket_priority_activity_idx')
    .on('ticket')
    .columns(['tenant_id', 'priority_rank', 'last_activity_at', 'id'])
    .execute();
  // Soonest first with the number as tiebreaker; the unscheduled (NULL) rows sit together in the
  // same index, newest number first, for the second part of that sort.
  await db.schema.createIndex('ticket_scheduled_idx').on('ticket').columns(['tenant_id', 'scheduled_at', 'number']).execute();
}
