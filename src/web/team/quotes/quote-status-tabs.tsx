import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { countOf, QUOTE_STATUS_FILTERS } from './quote-filters.js';
import { QUOTE_STATUS_LABELS } from './quote-labels.js';
import type { QuoteStatusFilter } from './use-quotes.js';

const LABELS: Readonly<Record<QuoteStatusFilter, string>> = { all: 'All', open: 'Open', ...QUOTE_STATUS_LABELS };

/**
 * The status filters as links with their counts: each view is its own URL, and Back returns to it.
 * On a phone the row scrolls sideways (its right edge fades to say there is more), and the current
 * filter is scrolled into sight.
 */
export function QuoteStatusTabs({
  current,
  counts,
  locale,
}: {
  current: QuoteStatusFilter;
  counts: Readonly<Record<string, number>> | null | undefined;
  locale: string;
}) {
  const navRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const nav = navRef.current;
    const tab = nav?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!nav || !tab) return;
    const overflowsRight = tab.offsetLeft + tab.offsetWidth > nav.scrollLeft + nav.clientWidth - 32;
    if (tab.offsetLeft < nav.scrollLeft || overflowsRight) nav.scrollLeft = tab.offsetLeft - 16;
  }, [current, counts]);

  return (
    <nav ref={navRef} className="status-tabs status-tabs--quotes" aria-label="Quote status">
      <ul className="status-tabs__list">
        {QUOTE_STATUS_FILTERS.map((value) => {
          const count = countOf(counts, value);
          return (
            <li key={value}>
              <Link
                className="status-tabs__tab"
                to={{ pathname: '/quotes', search: value === 'all' ? '' : `?status=${value}` }}
                aria-current={current === value ? 'page' : undefined}
              >
                {LABELS[value]}
                {count !== null ? <span className="status-tabs__count">{count.toLocaleString(locale)}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
