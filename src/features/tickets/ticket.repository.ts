import type { Selectable, Updateable } from 'kysely';
import type { ActorKind, TicketPriority, TicketSource, TicketStatus, TicketTable } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

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
}

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

export async function insertTicket(scope: TenantScope, t: NewTicketRow): Promise<Ticket> {
  const row = await scope
    .insertInto('ticket', {
      id: t.id,
      client_id: t.clientId,
      requester_contact_id: t.requesterContactId,
      number: t.number,
      title: t.title,
      status: t.status,
      priority: t.priority,
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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTicket(row);
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
  const result = await scope.updateTable('ticket').set(patch).where('ticket.id', '=', id).executeTakeFirst();
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
