import { QUOTE_STATUSES } from '../../../features/quotes/quote.schemas.js';
import type { QuoteStatusFilter } from './use-quotes.js';

/** The list's status filters in tab order: everything, the open ones, then each status. */
export const QUOTE_STATUS_FILTERS: readonly QuoteStatusFilter[] = ['all', 'open', ...QUOTE_STATUSES];

/** Open: the team or the client still has something to do. */
const OPEN_STATUSES: readonly string[] = ['draft', 'sent', 'changes_requested'];

/** The status in the list's URL (`?status=sent`); anything unknown is `all` rather than an error. */
export function statusFilterFrom(search: string): QuoteStatusFilter {
  const status = new URLSearchParams(search).get('status') ?? '';
  return (QUOTE_STATUS_FILTERS as readonly string[]).includes(status) ? (status as QuoteStatusFilter) : 'all';
}

/**
 * A tab's count from the list's `counts` (per status; `all` and `open` when the server sends them,
 * else added up here). Null while there are no counts (later pages).
 */
export function countOf(counts: Readonly<Record<string, number>> | null | undefined, filter: QuoteStatusFilter): number | null {
  if (!counts) return null;
  const given = counts[filter];
  if (typeof given === 'number') return given;
  const sum = (statuses: readonly string[]) => statuses.reduce((total, status) => total + (counts[status] ?? 0), 0);
  if (filter === 'open') return sum(OPEN_STATUSES);
  if (filter === 'all') return sum(QUOTE_STATUSES);
  return 0;
}
