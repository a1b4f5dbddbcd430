import type { TTeamQuoteRow } from '../../../features/quotes/team-quote.schemas.js';

type QuoteStatus = TTeamQuoteRow['status'];

/** Quote statuses as the team reads them. */
export const QUOTE_STATUS_LABELS: Readonly<Record<QuoteStatus, string>> = {
  draft: 'Draft',
  sent: 'Sent',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

/** A quote's status as a badge: the word carries the meaning, the colour and dot only help scanning. */
export function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  return (
    <span className={`badge badge--quote-${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {QUOTE_STATUS_LABELS[status]}
    </span>
  );
}
