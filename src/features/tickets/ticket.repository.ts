import type { Selectable, Updateable } from 'kysely';
import type { ActorKind, TicketPriority, TicketSource, TicketStatus, TicketTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantInsert, TenantScope } from '../../platform/db/tenant-scope.js';

export interface Ticket {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly requesterContactId: string | null;
  readonly number: number;
  readonly title: string;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly scheduledAt: Date | null;
  readonly charge: { readonly amount: number; readonly currency: string } | null;
  readonly source: TicketSource;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastActivityAt: Date;
  readonly closedAt: Date | null;
  readonly closedBy: { readonly kind: ActorKind; readonly id: string | null } | null;
  /** The team member working the ticket (same tenant), or null. */
  readonly assigneeId: string | null;
  /** The latest public message of a contact, and of a team member (null: none yet). */
  readonly lastCustomerMessageAt: Date | null;
  readonly lastTeamReplyAt: Date | null;
}

/** Priorities in order, stored beside the priority so the inbox can sort on an index. */
export const PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

export function toTicket(row: Selectable<TicketTable>): Ticket {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    requesterContactId: row.requester_contact_id,
    number: Number(row.number),
    title: row.title,
    status: row.status,
    priority: row.priority,
    scheduledAt: row.scheduled_at ? fromDbTime(row.scheduled_at) : null,
    charge: row.charge_amount !== null && row.charge_currency ? { amount: Number(row.charge_amount), currency: row.charge_currency } : null,
    source: row.source,
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
    lastActivityAt: fromDbTime(row.last_activity_at),
    closedAt: row.closed_at ? fromDbTime(row.closed_at) : null,
    closedBy: row.closed_by_kind ? { kind: row.closed_by_kind, id: row.closed_by_id } : null,
    assigneeId: row.assignee_id,
    lastCustomerMessageAt: row.last_customer_message_at ? fromDbTime(row.last_customer_message_at) : null,
    lastTeamReplyAt: row.last_team_reply_at ? fromDbTime(row.last_team_reply_at) : null,
  };
}

export interface NewTicketRow {
  id: string;
  clientId: string;
  requesterContactId: string | null;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  scheduledAt: string | null;
  charge: { amount: number; currency: string } | null;
  source: TicketSource;
  now: string;
}

function ticketValues(t: NewTicketRow): TenantInsert<'ticket'> {
  return {
    id: t.id,
    client_id: t.clientId,
    requester_contact_id: t.requesterContactId,
    number: t.number,
    title: t.title,
    status: t.status,
    priority: t.priority,
    priority_rank: PRIORITY_RANK[t.priority],
    scheduled_at: t.scheduledAt,
    charge_amount: t.charge?.amount ?? null,
    charge_currency: t.charge?.currency ?? null,
    source: t.source,
    created_at: t.now,
    updated_at: t.now,
    last_activity_at: t.now,
    closed_at: null,
    closed_by_kind: null,
    closed_by_id: null,
    assignee_id: null,
    last_customer_message_at: null,
    last_team_reply_at: null,
  };
}

export async function insertTicket(scope: TenantScope, t: NewTicketRow): Promise<Ticket> {
  const row = await scope.insertInto('ticket', ticketValues(t)).returningAll().executeTakeFirstOrThrow();
  return toTicket(row);
}

export interface SeedTicketRow extends NewTicketRow {
  readonly assigneeId?: string | null;
  readonly lastActivityAt?: string;
  readonly lastCustomerMessageAt?: string | null;
  readonly lastTeamReplyAt?: string | null;
}

/**
 * Many tickets in few statements (seeding and benchmarks). The caller owns the numbers: they must
 * be unused, and the tenant's counter is not moved.
 */
export async function insertTicketBatch(scope: TenantScope, rows: readonly SeedTicketRow[]): Promise<void> {
  // 500 rows × 22 columns stays under SQLite's and PostgreSQL's limits on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map((r) => ({
      ...ticketValues(r),
      last_activity_at: r.lastActivityAt ?? r.now,
      assignee_id: r.assigneeId ?? null,
      last_customer_message_at: r.lastCustomerMessageAt ?? null,
      last_team_reply_at: r.lastTeamReplyAt ?? null,
    }));
    await scope.insertInto('ticket', values).execute();
  }
}

export async function findTicketById(scope: TenantScope, id: string): Promise<Ticket | undefined> {
  const row = await scope.selectFrom('ticket').selectAll().where('ticket.id', '=', id).executeTakeFirst();
  return row && toTicket(row);
}

export async function findTicketByNumber(scope: TenantScope, number: number): Promise<Ticket | undefined> {
  const row = await scope.selectFrom('ticket').selectAll().where('ticket.number', '=', number).executeTakeFirst();
  return row && toTicket(row);
}

export type TicketPatch = Omit<Updateable<TicketTable>, 'id' | 'tenant_id' | 'number' | 'created_at'>;

/** Applies a patch to one ticket of the scope's tenant; false when there is no such ticket. */
export async function updateTicket(scope: TenantScope, id: string, patch: TicketPatch): Promise<boolean> {
  const ranked = typeof patch.priority === 'string' ? { ...patch, priority_rank: PRIORITY_RANK[patch.priority] } : patch;
  const result = await scope.updateTable('ticket').set(ranked).where('ticket.id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Takes the ticket's row lock for the rest of the transaction with a write that changes nothing
 * (portable, unlike SELECT … FOR UPDATE): a change read after it cannot be raced by another
 * writer's. False when the scope's tenant has no such ticket.
 */
export async function lockTicket(scope: TenantScope, id: string): Promise<boolean> {
  const result = await scope
    .updateTable('ticket')
    .set((eb) => ({ updated_at: eb.ref('ticket.updated_at') }))
    .where('ticket.id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteTicket(scope: TenantScope, id: string): Promise<boolean> {
  const result = await scope.deleteFrom('ticket').where('ticket.id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function countTicketsByStatus(scope: TenantScope): Promise<Record<string, number>> {
  const rows = await scope
    .selectFrom('ticket')
    .select(['ticket.status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('ticket.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
