import type { z } from 'zod';
import type { PORTAL_QUOTE_FILTERS } from '../../../features/quotes/portal-quote.schemas.js';
import type { ZQuoteStatus } from '../../../features/quotes/quote.schemas.js';

export type QuoteStatus = z.infer<typeof ZQuoteStatus>;
export type QuoteFilter = (typeof PORTAL_QUOTE_FILTERS)[number];

/** A quote's status in the customer's words: a sent quote is waiting for them. */
export const QUOTE_STATUS_LABELS: Readonly<Record<QuoteStatus, string>> = {
  draft: 'Draft',
  sent: 'Waiting for you',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** The filters of the quotes page, in the order of the tabs. */
export const QUOTE_FILTER_LABELS: readonly { readonly value: QuoteFilter; readonly label: string }[] = [
  { value: 'waiting', label: 'Waiting for you' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'declined', label: 'Declined' },
  { value: 'expired', label: 'Expired' },
  { value: 'all', label: 'All' },
];

/** Refusals about the quote itself, not a form's input: the page says them above the quote, which reloads. */
export const QUOTE_STATE_CODES: ReadonlySet<string> = new Set([
  'QUOTE_SUPERSEDED',
  'QUOTE_EXPIRED',
  'QUOTE_ALREADY_DECIDED',
  'QUOTE_WITHDRAWN',
  'QUOTE_NOT_FOUND',
]);

export function isQuoteStatus(value: string): value is QuoteStatus {
  return Object.hasOwn(QUOTE_STATUS_LABELS, value);
}

/** The status as a badge: the word carries the meaning, colour and dot only help scanning. */
export function QuoteStatusBadge({ status }: { status: string }) {
  const known = isQuoteStatus(status);
  return (
    <span className={`badge badge--quote-${known ? status : 'other'}`}>
      <span className="badge__dot" aria-hidden="true" />
      {known ? QUOTE_STATUS_LABELS[status] : status}
    </span>
  );
}
