import { type ExpressionBuilder, sql } from 'kysely';
import type { ActorKind, Database } from '../../platform/db/database.js';
import type { TicketPriority, TicketSearch, TicketSource, TicketStatus } from './ticket.domain.js';
import { fromDbTime } from '../../platform/db/time.js';
import { containsPattern } from '../../platform/db/like.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

/**
 * The team inbox, a read model over tickets: one query per page joins what a row shows (client,
 * requester, assignee, this member's read mark), and walks one index per sort with a keyset, so a
 * page costs the same on page 1 and page 4,000 (see migration 0006 for the indexes).
 */

export interface InboxRow {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly priorityRank: number;
  readonly client: { readonly id: string; readonly name: string };
  readonly requester: { readonly id: string; readonly name: string; readonly email: string; readonly photoFileId: string | null } | null;
  readonly assignee: { readonly id: string; readonly name: string } | null;
  readonly scheduledAt: Date | null;
  readonly charge: { readonly amount: number; readonly currency: string } | null;
  readonly source: TicketSource;
  readonly createdAt: Date;
  readonly lastActivityAt: Date;
  readonly closedAt: Date | null;
  readonly closedBy: { readonly kind: ActorKind; readonly id: string | null } | null;
  readonly lastCustomerMessageAt: Date | null;
  readonly lastTeamReplyAt: Date | null;
  /** When this member last opened the ticket. */
  readonly readAt: Date | null;
}

export interface InboxFilter {
  /** null: any status; 'not_closed': every status but closed. */
  readonly statuses: readonly TicketStatus[] | 'not_closed' | null;
  readonly priorities: readonly TicketPriority[] | null;
  readonly assignee: { readonly id: string } | 'unassigned' | null;
  readonly clientId: string | null;
  readonly awaitingReply: boolean;
  readonly search: TicketSearch | null;
}

/** Where the previous page ended, per sort (the sort's index columns after tenant_id). */
export type InboxKey =
  | { readonly sort: 'activity'; readonly at: string; readonly id: string }
  | { readonly sort: 'created'; readonly number: number }
  | { readonly sort: 'priority'; readonly rank: number; readonly at: string; readonly id: string }
  | { readonly sort: 'scheduled'; readonly at: string; readonly number: number }
  /** The second part of the scheduled sort: tickets without a time, newest first. */
  | { readonly sort: 'unscheduled'; readonly number: number };

export type InboxSort = 'activity' | 'created' | 'priority' | 'scheduled';

type TicketEb = ExpressionBuilder<Database, 'ticket'>;
type SearchEb = ExpressionBuilder<Database, 'ticket' | 'client' | 'contact'>;

/** The filter's conditions on the ticket row itself (all but the search). */
function whereTicket(eb: TicketEb, filter: InboxFilter, options: { withStatus: boolean }) {
  const and = [];
  const statuses = options.withStatus ? filter.statuses : null;
  if (statuses === 'not_closed') {
    // A literal, not a parameter, so SQLite sees that ticket_open_activity_idx (WHERE status <> 'closed') applies.
    and.push(eb('ticket.status', '<>', sql.lit('closed')));
  } else if (statuses) {
    and.push(eb('ticket.status', 'in', statuses));
  }
  if (filter.priorities) and.push(eb('ticket.priority', 'in', filter.priorities));
  if (filter.assignee === 'unassigned') and.push(eb('ticket.assignee_id', 'is', null));
  else if (filter.assignee) and.push(eb('ticket.assignee_id', '=', filter.assignee.id));
  if (filter.clientId) and.push(eb('ticket.client_id', '=', filter.clientId));
  if (filter.awaitingReply) {
    and.push(eb('ticket.last_customer_message_at', 'is not', null));
    and.push(
      eb.or([eb('ticket.last_team_reply_at', 'is', null), eb('ticket.last_customer_message_at', '>', eb.ref('ticket.last_team_reply_at'))]),
    );
  }
  return eb.and(and);
}

/** The search: the number, or text in the title, the requester's name or email, or the client's name. */
function whereSearch(eb: SearchEb, search: NonNullable<InboxFilter['search']>) {
  if (search.numberOnly && search.number !== null) return eb('ticket.number', '=', search.number);
  const pattern = containsPattern(search.text);
  const like = (column: 'ticket.title' | 'contact.name' | 'contact.email' | 'client.name') =>
    eb(sql`lower(${eb.ref(column)})`, 'like', pattern);
  return eb.or([
    ...(search.number !== null ? [eb('ticket.number', '=', search.number)] : []),
    like('ticket.title'),
    like('contact.name'),
    like('contact.email'),
    like('client.name'),
  ]);
}

/** The tickets joined to what the search reads. */
function joined(scope: TenantScope) {
  return scope
    .selectFrom('ticket')
    .leftJoin('client', (j) => j.onRef('client.tenant_id', '=', 'ticket.tenant_id').onRef('client.id', '=', 'ticket.client_id'))
    .leftJoin('contact', (j) =>
      j.onRef('contact.tenant_id', '=', 'ticket.tenant_id').onRef('contact.id', '=', 'ticket.requester_contact_id'),
    );
}

function pageQuery(scope: TenantScope, memberId: string, filter: InboxFilter) {
  const search = filter.search;
  return joined(scope)
    .leftJoin('team_member as assignee', (j) =>
      j.onRef('assignee.tenant_id', '=', 'ticket.tenant_id').onRef('assignee.id', '=', 'ticket.assignee_id'),
    )
    .leftJoin('ticket_read', (j) =>
      j
        .onRef('ticket_read.tenant_id', '=', 'ticket.tenant_id')
        .onRef('ticket_read.ticket_id', '=', 'ticket.id')
        .on('ticket_read.member_id', '=', memberId),
    )
    .select([
      'ticket.id',
      'ticket.number',
      'ticket.title',
      'ticket.status',
      'ticket.priority',
      'ticket.priority_rank',
      'ticket.client_id',
      'ticket.scheduled_at',
      'ticket.charge_amount',
      'ticket.charge_currency',
      'ticket.source',
      'ticket.created_at',
      'ticket.last_activity_at',
      'ticket.closed_at',
      'ticket.closed_by_kind',
      'ticket.closed_by_id',
      'ticket.last_customer_message_at',
      'ticket.last_team_reply_at',
      'ticket.requester_contact_id',
      'ticket.assignee_id',
      'client.name as client_name',
      'contact.name as contact_name',
      'contact.email as contact_email',
      'contact.photo_file_id as contact_photo_file_id',
      'assignee.name as assignee_name',
      'ticket_read.read_at',
    ])
    .where((eb) => whereTicket(eb, filter, { withStatus: true }))
    .$if(search !== null, (q) => q.where((eb) => whereSearch(eb, search!)));
}

type PageRow = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

function toInboxRow(r: PageRow): InboxRow {
  return {
    id: r.id,
    number: Number(r.number),
    title: r.title,
    status: r.status as TicketStatus,
    priority: r.priority as TicketPriority,
    priorityRank: Number(r.priority_rank),
    client: { id: r.client_id, name: r.client_name ?? '' },
    requester:
      r.requester_contact_id && r.contact_name !== null && r.contact_email !== null
        ? { id: r.requester_contact_id, name: r.contact_name, email: r.contact_email, photoFileId: r.contact_photo_file_id ?? null }
        : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    scheduledAt: r.scheduled_at ? fromDbTime(r.scheduled_at) : null,
    charge: r.charge_amount !== null && r.charge_currency ? { amount: Number(r.charge_amount), currency: r.charge_currency } : null,
    source: r.source as TicketSource,
    createdAt: fromDbTime(r.created_at),
    lastActivityAt: fromDbTime(r.last_activity_at),
    closedAt: r.closed_at ? fromDbTime(r.closed_at) : null,
    closedBy: r.closed_by_kind ? { kind: r.closed_by_kind, id: r.closed_by_id } : null,
    lastCustomerMessageAt: r.last_customer_message_at ? fromDbTime(r.last_customer_message_at) : null,
    lastTeamReplyAt: r.last_team_reply_at ? fromDbTime(r.last_team_reply_at) : null,
    readAt: r.read_at ? fromDbTime(r.read_at) : null,
  };
}

/**
 * One page of the inbox after `after` (exclusive), at most `limit` rows. Each sort reads one index
 * in order and stops after `limit` rows (the scheduled sort reads its second part, the unscheduled
 * tickets, only when the scheduled ones run out): a bounded number of queries whatever the data.
 */
export async function listInboxPage(
  scope: TenantScope,
  memberId: string,
  filter: InboxFilter,
  sort: InboxSort,
  after: InboxKey | undefined,
  limit: number,
): Promise<InboxRow[]> {
  const base = pageQuery(scope, memberId, filter);
  if (sort === 'activity') {
    const query =
      after?.sort === 'activity'
        ? base.where((eb) => eb(eb.refTuple('ticket.last_activity_at', 'ticket.id'), '<', eb.tuple(after.at, after.id)))
        : base;
    return (await query.orderBy('ticket.last_activity_at', 'desc').orderBy('ticket.id', 'desc').limit(limit).execute()).map(toInboxRow);
  }
  if (sort === 'created') {
    const query = after?.sort === 'created' ? base.where('ticket.number', '<', after.number) : base;
    return (await query.orderBy('ticket.number', 'desc').limit(limit).execute()).map(toInboxRow);
  }
  if (sort === 'priority') {
    const query =
      after?.sort === 'priority'
        ? base.where((eb) =>
            eb(eb.refTuple('ticket.priority_rank', 'ticket.last_activity_at', 'ticket.id'), '<', eb.tuple(after.rank, after.at, after.id)),
          )
        : base;
    const rows = await query
      .orderBy('ticket.priority_rank', 'desc')
      .orderBy('ticket.last_activity_at', 'desc')
      .orderBy('ticket.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toInboxRow);
  }
  const rows: InboxRow[] = [];
  if (after?.sort !== 'unscheduled') {
    const scheduled = base.where('ticket.scheduled_at', 'is not', null);
    const query =
      after?.sort === 'scheduled'
        ? scheduled.where((eb) => eb(eb.refTuple('ticket.scheduled_at', 'ticket.number'), '>', eb.tuple(after.at, after.number)))
        : scheduled;
    rows.push(
      ...(await query.orderBy('ticket.scheduled_at', 'asc').orderBy('ticket.number', 'asc').limit(limit).execute()).map(toInboxRow),
    );
    if (rows.length === limit) return rows;
  }
  const unscheduled = base.where('ticket.scheduled_at', 'is', null);
  const query = after?.sort === 'unscheduled' ? unscheduled.where('ticket.number', '<', after.number) : unscheduled;
  rows.push(
    ...(
      await query
        .orderBy('ticket.number', 'desc')
        .limit(limit - rows.length)
        .execute()
    ).map(toInboxRow),
  );
  return rows;
}

/** One ticket as an inbox row (for the ticket page and after a change), or undefined. */
export async function findInboxRow(scope: TenantScope, memberId: string, ticketId: string): Promise<InboxRow | undefined> {
  const none: InboxFilter = { statuses: null, priorities: null, assignee: null, clientId: null, awaitingReply: false, search: null };
  const row = await pageQuery(scope, memberId, none).where('ticket.id', '=', ticketId).executeTakeFirst();
  return row && toInboxRow(row);
}

/**
 * Tickets per status for the filter, whatever its statuses (the inbox's tabs). Without a search it
 * reads the ticket table alone (the (tenant_id, status) index when nothing else is filtered).
 */
export async function countInboxByStatus(scope: TenantScope, filter: InboxFilter): Promise<Map<TicketStatus, number>> {
  const search = filter.search;
  const count = (eb: TicketEb) => eb.fn.countAll<number | string>().as('n');
  const rows = search
    ? await joined(scope)
        .select(['ticket.status', count])
        .where((eb) => whereTicket(eb, filter, { withStatus: false }))
        .where((eb) => whereSearch(eb, search))
        .groupBy('ticket.status')
        .execute()
    : await scope
        .selectFrom('ticket')
        .select(['ticket.status', count])
        .where((eb) => whereTicket(eb, filter, { withStatus: false }))
        .groupBy('ticket.status')
        .execute();
  return new Map(rows.map((r) => [r.status as TicketStatus, Number(r.n)]));
}

/** Notes that the member has opened the ticket now (one row per member and ticket). */
export async function markTicketRead(
  scope: TenantScope,
  t: { id: string; ticketId: string; memberId: string; now: string },
): Promise<void> {
  await scope
    .insertInto('ticket_read', { id: t.id, ticket_id: t.ticketId, member_id: t.memberId, read_at: t.now, created_at: t.now })
    .onConflict((oc) => oc.columns(['tenant_id', 'ticket_id', 'member_id']).doUpdateSet({ read_at: t.now }))
    .execute();
}
