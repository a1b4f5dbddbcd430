import { TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../../features/tickets/ticket.schemas.js';

/**
 * The inbox's filters live in the URL (`/app/?status=new&assignee=me&q=tap`), so a view can be
 * bookmarked, shared with a colleague, and restored by Back after opening a ticket. Defaults are
 * left out of the URL; anything unknown in it is ignored rather than refused.
 */
export type StatusFilter = 'not_closed' | 'all' | TicketStatus;
export type SortOrder = 'activity' | 'created' | 'priority' | 'scheduled';

export interface InboxFilters {
  readonly status: StatusFilter;
  /** '' for any, one priority, or `high,urgent`. */
  readonly priority: string;
  /** '' for anyone, `me`, `unassigned`, or a member id. */
  readonly assignee: string;
  readonly clientId: string;
  /** Only tickets where the customer wrote last. */
  readonly awaiting: boolean;
  readonly q: string;
  readonly sort: SortOrder;
}

export const STATUSES: readonly TicketStatus[] = TICKET_STATUSES;
export const PRIORITIES: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];
const SORTS: readonly SortOrder[] = ['activity', 'created', 'priority', 'scheduled'];
const PRIORITY_FILTERS = new Set(['', ...PRIORITIES, 'high,urgent']);

export const DEFAULT_FILTERS: InboxFilters = {
  status: 'not_closed',
  priority: '',
  assignee: '',
  clientId: '',
  awaiting: false,
  q: '',
  sort: 'activity',
};

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function filtersFromSearch(search: URLSearchParams): InboxFilters {
  const status = search.get('status') ?? '';
  const priority = search.get('priority') ?? '';
  const assignee = search.get('assignee') ?? '';
  const clientId = search.get('client') ?? '';
  const sort = search.get('sort') ?? '';
  return {
    status: status === 'all' || (STATUSES as readonly string[]).includes(status) ? (status as StatusFilter) : 'not_closed',
    priority: PRIORITY_FILTERS.has(priority) ? priority : '',
    assignee: ID_PATTERN.test(assignee) ? assignee : '',
    clientId: ID_PATTERN.test(clientId) ? clientId : '',
    awaiting: search.get('awaiting') === 'customer',
    q: (search.get('q') ?? '').slice(0, 200),
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as SortOrder) : 'activity',
  };
}

/** The URL's query for these filters, defaults left out (`''` for the default view). */
export function searchFromFilters(filters: InboxFilters): string {
  const search = new URLSearchParams();
  if (filters.status !== DEFAULT_FILTERS.status) search.set('status', filters.status);
  if (filters.priority) search.set('priority', filters.priority);
  if (filters.assignee) search.set('assignee', filters.assignee);
  if (filters.clientId) search.set('client', filters.clientId);
  if (filters.awaiting) search.set('awaiting', 'customer');
  if (filters.q.trim()) search.set('q', filters.q.trim());
  if (filters.sort !== DEFAULT_FILTERS.sort) search.set('sort', filters.sort);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The API's query (GET /api/team/tickets) for these filters and a page cursor. */
export function apiQueryOf(filters: InboxFilters, cursor: string | null, limit = 50): string {
  const search = new URLSearchParams({ status: filters.status, sort: filters.sort, limit: String(limit) });
  if (filters.priority) search.set('priority', filters.priority);
  if (filters.assignee) search.set('assigneeId', filters.assignee);
  if (filters.clientId) search.set('clientId', filters.clientId);
  if (filters.awaiting) search.set('awaiting', 'customer');
  if (filters.q.trim()) search.set('q', filters.q.trim());
  if (cursor) search.set('cursor', cursor);
  return search.toString();
}

/** True when anything but the status tab and the sort narrows the list (the empty state then offers to clear it). */
export function isNarrowed(filters: InboxFilters): boolean {
  return Boolean(filters.priority || filters.assignee || filters.clientId || filters.awaiting || filters.q.trim());
}
