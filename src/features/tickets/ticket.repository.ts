import { type Selectable, sql, type Updateable } from 'kysely';
import type { ActorKind, TicketTable } from '../../platform/db/database.js';
import { containsPattern } from '../../platform/db/like.js';
import { PRIORITY_RANK, type TicketPriority, type TicketSearch, type TicketSource, type TicketStatus } from './ticket.domain.js';
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

export function toTicket(row: Selectable<TicketTable>): Ticket {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    requesterContactId: row.requester_contact_id,
    number: Number(row.number),
    title: row.title,
    // Written only from the typed words of ticket.domain.ts, so the text columns hold nothing else.
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    scheduledAt: row.scheduled_at ? fromDbTime(row.scheduled_at) : null,
    charge: row.charge_amount !== null && row.charge_currency ? { amount: Number(row.charge_amount), currency: row.charge_currency } : null,
    source: row.source as TicketSource,
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

export async function findTicketsByIds(scope: TenantScope, ids: readonly string[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  const rows = await scope
    .selectFrom('ticket')
    .selectAll()
    .where('ticket.id', 'in', [...ids])
    .execute();
  return rows.map(toTicket);
}

export type TicketPatch = Omit<Updateable<TicketTable>, 'id' | 'tenant_id' | 'number' | 'created_at' | 'status' | 'priority'> & {
  status?: TicketStatus;
  priority?: TicketPriority;
};

/** Applies a patch to one ticket of the scope's tenant; false when there is no such ticket. */
export async function updateTicket(scope: TenantScope, id: string, patch: TicketPatch): Promise<boolean> {
  const ranked = typeof patch.priority === 'string' ? { ...patch, priority_rank: PRIORITY_RANK[patch.priority] } : patch;
  const result = await scope.updateTable('ticket').set(ranked).where('ticket.id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Marks activity at `at` — and, for a public message, the latest word of its side — never moving
 * a time backwards: concurrent writers each read the clock before they get the row, so the one
 * that commits last may hold the older time (ISO-8601 UTC text compares in time order).
 * False when there is no such ticket.
 */
export async function recordTicketActivity(scope: TenantScope, id: string, at: string, side: 'customer' | 'team' | null): Promise<boolean> {
  const later = (column: 'last_activity_at' | 'last_customer_message_at' | 'last_team_reply_at' | 'updated_at') =>
    sql<string>`case when ${sql.ref(column)} is null or ${sql.ref(column)} < ${at} then ${at} else ${sql.ref(column)} end`;
  const result = await scope
    .updateTable('ticket')
    .set({
      last_activity_at: later('last_activity_at'),
      updated_at: later('updated_at'),
      ...(side === 'customer' ? { last_customer_message_at: later('last_customer_message_at') } : {}),
      ...(side === 'team' ? { last_team_reply_at: later('last_team_reply_at') } : {}),
    })
    .where('ticket.id', '=', id)
    .executeTakeFirst();
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

export async function countTicketsByStatus(scope: TenantScope): Promise<Record<string, number>> {
  const rows = await scope
    .selectFrom('ticket')
    .select(['ticket.status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('ticket.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Ticket reads for the portal, always narrowed to one client — and to one requester where the
 * client's contacts only see their own tickets. The caller passes that audience from the session,
 * never from input.
 */
export interface PortalAudience {
  readonly clientId: string;
  /** Set when the client's visibility is "own": only this contact's tickets. */
  readonly requesterContactId: string | null;
}

export interface PortalListFilter {
  readonly status: 'open' | 'closed' | 'all';
  readonly search?: TicketSearch;
  readonly after?: { readonly lastActivityAt: string; readonly id: string };
  readonly limit: number;
}

/**
 * One page of the audience's tickets, newest activity first, by keyset on (last_activity_at, id):
 * the cost of a page does not grow with the page number (index ticket_client_activity_idx).
 */
export async function listPortalTickets(scope: TenantScope, audience: PortalAudience, filter: PortalListFilter): Promise<Ticket[]> {
  let query = scope.selectFrom('ticket').selectAll().where('ticket.client_id', '=', audience.clientId);
  if (audience.requesterContactId) query = query.where('ticket.requester_contact_id', '=', audience.requesterContactId);
  if (filter.status === 'open') query = query.where('ticket.status', '!=', 'closed');
  if (filter.status === 'closed') query = query.where('ticket.status', '=', 'closed');
  const search = filter.search;
  if (search?.numberOnly) query = query.where('ticket.number', '=', search.number);
  else if (search) {
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(${eb.ref('ticket.title')})`, 'like', containsPattern(search.text)),
        ...(search.number !== null ? [eb('ticket.number', '=', search.number)] : []),
      ]),
    );
  }
  if (filter.after) {
    const { lastActivityAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('ticket.last_activity_at', '<', lastActivityAt),
        eb.and([eb('ticket.last_activity_at', '=', lastActivityAt), eb('ticket.id', '<', id)]),
      ]),
    );
  }
  const rows = await query.orderBy('ticket.last_activity_at', 'desc').orderBy('ticket.id', 'desc').limit(filter.limit).execute();
  return rows.map(toTicket);
}

/** One ticket if the audience may see it; undefined for another client's or another requester's. */
export async function findPortalTicket(scope: TenantScope, audience: PortalAudience, ticketId: string): Promise<Ticket | undefined> {
  let query = scope.selectFrom('ticket').selectAll().where('ticket.id', '=', ticketId).where('ticket.client_id', '=', audience.clientId);
  if (audience.requesterContactId) query = query.where('ticket.requester_contact_id', '=', audience.requesterContactId);
  const row = await query.executeTakeFirst();
  return row && toTicket(row);
}
