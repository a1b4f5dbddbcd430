import { Link } from 'react-router';
import { QUOTE_STATUS_LABELS } from './quote-labels.js';
import type { QuoteStatusFilter } from './use-quotes.js';

const TABS: readonly { value: QuoteStatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  ...(['draft', 'sent', 'changes_requested', 'accepted', 'declined', 'expired', 'withdrawn'] as const).map((status) => ({
    value: status,
    label: QUOTE_STATUS_LABELS[status],
  })),
];

export const QUOTE_STATUS_FILTERS: readonly QuoteStatusFilter[] = TABS.map((tab) => tab.value);

/** `all` and `open` are sums the server may or may not send; they are added up here when missing. */
function countOf(counts: Readonly<Record<string, number>> | null | undefined, value: QuoteStatusFilter): number | null {
  if (!counts) return null;
  if (typeof counts[value] === 'number') return counts[value];
  const sum = (statuses: readonly string[]) => statuses.reduce((total, status) => total + (counts[status] ?? 0), 0);
  if (value === 'open') return sum(['draft', 'sent', 'changes_requested']);
  if (value === 'all') return sum(Object.keys(QUOTE_STATUS_LABELS));
  return 0;
}

/** The status filters as links with their counts: each view is its own URL, and Back returns to it. */
export function QuoteStatusTabs({
  current,
  counts,
  locale,
}: {
  current: QuoteStatusFilter;
  counts: Readonly<Record<string, number>> | null | undefined;
  locale: string;
}) {
  return (
    <nav className="status-tabs" aria-label="Quote status">
      <ul className="status-tabs__list">
        {TABS.map((tab) => {
          const count = countOf(counts, tab.value);
          return (
            <li key={tab.value}>
              <Link
                className="status-tabs__tab"
                to={{ pathname: '/quotes', search: tab.value === 'all' ? '' : `?status=${tab.value}` }}
                aria-current={current === tab.value ? 'page' : undefined}
              >
                {tab.label}
                {count !== null ? <span className="status-tabs__count">{count.toLocaleString(locale)}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
