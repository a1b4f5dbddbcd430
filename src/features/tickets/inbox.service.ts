import type { AppContext } from '../../platform/context.js';
import { OPEN_TICKET_STATUSES, parseTicketSearch, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './ticket.domain.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { cursorField, decodeCursor, pageOf } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { getClient } from '../clients/client.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { findTeamMemberById } from '../team/team.service.js';
import { countInboxByStatus, type InboxFilter, type InboxKey, type InboxRow, type InboxSort, listInboxPage } from './inbox.repository.js';
import { type TTeamTicketListQuery, ZTeamTicketListQuery } from './team-ticket.schemas.js';

export type { InboxRow } from './inbox.repository.js';

export interface InboxPage {
  readonly tickets: readonly InboxRow[];
  readonly nextCursor: string | null;
  /** Per status, for the filters without `status`; only on the first page. */
  readonly counts: Readonly<Record<TicketStatus, number>> | null;
}

/** The customer wrote last (publicly) and nobody of the team has answered since. */
export function isAwaitingReply(t: { readonly lastCustomerMessageAt: Date | null; readonly lastTeamReplyAt: Date | null }): boolean {
  return t.lastCustomerMessageAt !== null && (t.lastTeamReplyAt === null || t.lastCustomerMessageAt > t.lastTeamReplyAt);
}

/** A customer wrote since the member last opened the ticket. */
export function isUnread(t: { readonly lastCustomerMessageAt: Date | null }, readAt: Date | null | undefined): boolean {
  return t.lastCustomerMessageAt !== null && (!readAt || t.lastCustomerMessageAt > readAt);
}

function keyAfter(row: InboxRow, sort: InboxSort): InboxKey {
  const at = row.lastActivityAt.toISOString();
  switch (sort) {
    case 'activity':
      return { sort, at, id: row.id };
    case 'created':
      return { sort, number: row.number };
    case 'priority':
      return { sort, rank: row.priorityRank, at, id: row.id };
    case 'scheduled':
      return row.scheduledAt
        ? { sort, at: row.scheduledAt.toISOString(), number: row.number }
        : { sort: 'unscheduled', number: row.number };
  }
}

/** The inbox key a cursor holds, tagged with its sort: a cursor of another sort is refused. */
function inboxKeyParser(sort: InboxSort) {
  const { isTime, isText, isInt, iso } = cursorField;
  return (value: unknown): InboxKey | undefined => {
    const k = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (sort === 'activity' && k.sort === 'activity' && isTime(k.at) && isText(k.id)) return { sort, at: iso(k.at), id: k.id };
    if (sort === 'created' && k.sort === 'created' && isInt(k.number)) return { sort, number: k.number };
    if (sort === 'priority' && k.sort === 'priority' && isInt(k.rank) && isTime(k.at) && isText(k.id))
      return { sort, rank: k.rank, at: iso(k.at), id: k.id };
    if (sort === 'scheduled' && k.sort === 'scheduled' && isTime(k.at) && isInt(k.number)) return { sort, at: iso(k.at), number: k.number };
    if (sort === 'scheduled' && k.sort === 'unscheduled' && isInt(k.number)) return { sort: 'unscheduled', number: k.number };
    return undefined;
  };
}

const words = (list: string) => [...new Set(list.split(',').map((w) => w.trim()))];

function filterOf(viewer: TeamViewer, query: ReturnType<typeof ZTeamTicketListQuery.parse>): InboxFilter {
  let statuses: InboxFilter['statuses'] = null;
  if (query.status === 'not_closed') statuses = 'not_closed';
  else if (query.status !== 'all') {
    const list = words(query.status) as TicketStatus[];
    // "Everything but closed" spelled out reads the same index as not_closed.
    const open = OPEN_TICKET_STATUSES;
    statuses = list.length === open.length && open.every((s) => list.includes(s)) ? 'not_closed' : list;
  }
  return {
    statuses,
    priorities: query.priority ? (words(query.priority) as TicketPriority[]) : null,
    assignee:
      query.assigneeId === undefined
        ? null
        : query.assigneeId === 'unassigned'
          ? 'unassigned'
          : { id: query.assigneeId === 'me' ? viewer.memberId : query.assigneeId },
    clientId: query.clientId ?? null,
    awaitingReply: query.awaiting === 'customer',
    search: parseTicketSearch(query.q),
  };
}

/**
 * One page of the organisation's tickets for the team inbox, filtered and sorted as asked, with
 * per-status counts on the first page. A bounded number of queries, whatever the size of the data.
 * A client or assignee to filter by must be the organisation's (another's answers 404 like a
 * missing one). Any role (ticket work is agent work).
 * @throws VALIDATION_FAILED (also for a cursor of another sort or a malformed one), CLIENT_NOT_FOUND, TEAM_MEMBER_NOT_FOUND
 */
export async function listTeamTickets(ctx: AppContext, viewer: TeamViewer, input: TTeamTicketListQuery): Promise<InboxPage> {
  const query = parseInput(ZTeamTicketListQuery, input);
  const after = query.cursor
    ? decodeCursor(query.cursor, inboxKeyParser(query.sort), 'is not a valid page cursor for this sort')
    : undefined;
  const filter = filterOf(viewer, query);
  const scope = forTenant(ctx.db, viewer.tenant.id);
  if (filter.clientId) await getClient(scope, filter.clientId);
  if (filter.assignee && filter.assignee !== 'unassigned' && filter.assignee.id !== viewer.memberId) {
    if (!(await findTeamMemberById(scope, filter.assignee.id))) throw new AppError('TEAM_MEMBER_NOT_FOUND');
  }
  const rows = await listInboxPage(scope, viewer.memberId, filter, query.sort, after, query.limit + 1);
  const page = pageOf(rows, query.limit, (last) => keyAfter(last, query.sort));
  let counts: Record<TicketStatus, number> | null = null;
  if (!after) {
    const byStatus = await countInboxByStatus(scope, filter);
    counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, byStatus.get(s) ?? 0])) as Record<TicketStatus, number>;
  }
  return { tickets: page.items, nextCursor: page.nextCursor, counts };
}
