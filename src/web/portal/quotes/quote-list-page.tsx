import { Link, useSearchParams } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import { QuoteCards, QuoteCardsSkeleton } from './quote-cards.js';
import { QUOTE_FILTER_LABELS, type QuoteFilter } from './quote-status.js';
import { useQuoteList } from './use-quotes.js';

const DEFAULT_FILTER: QuoteFilter = 'waiting';

function readFilter(value: string | null): QuoteFilter {
  return QUOTE_FILTER_LABELS.find((filter) => filter.value === value)?.value ?? DEFAULT_FILTER;
}

/** `?status=accepted`; the default (waiting for you) stays out of the URL. */
function searchOf(filter: QuoteFilter): string {
  return filter === DEFAULT_FILTER ? '' : `?status=${filter}`;
}

/**
 * `/quotes`: the customer's quotes, those waiting for an answer first. The filter lives in the
 * URL (a link or a reload shows the same list; Back returns to the previous filter) and is a row
 * of links marked `aria-current`, like the requests list.
 */
export function QuoteListPage() {
  usePageTitle('Quotes');
  const [searchParams] = useSearchParams();
  const filter = readFilter(searchParams.get('status'));
  return (
    <div className="page">
      <div className="page-head">
        <div className="page-head__text">
          <PageHeading className="page-title">Your quotes</PageHeading>
        </div>
      </div>
      <nav aria-label="Filter quotes">
        <ul className="tabs quote-tabs">
          {QUOTE_FILTER_LABELS.map((option) => (
            <li key={option.value}>
              <Link
                className="tabs__tab"
                to={{ search: searchOf(option.value) }}
                aria-current={option.value === filter ? 'page' : undefined}
              >
                {option.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <QuoteResults filter={filter} />
    </div>
  );
}

function QuoteResults({ filter }: { filter: QuoteFilter }) {
  const { locale } = usePortal();
  const list = useQuoteList(filter);
  const quotes = list.data?.quotes ?? [];
  const isUpdating = list.isPlaceholderData;

  let announcement = '';
  if (list.isPending || isUpdating) announcement = 'Loading quotes…';
  else if (list.data) announcement = `${quotes.length} ${quotes.length === 1 ? 'quote' : 'quotes'} shown.`;

  let body;
  if (list.isPending) body = <QuoteCardsSkeleton />;
  else if (list.isError)
    body = (
      <div className="list-state" role="alert">
        <p className="list-state__title">Your quotes could not be loaded</p>
        <p className="list-state__text">{messageOf(list.error)}</p>
        <button
          type="button"
          className="button button--secondary button--inline"
          onClick={() => void list.refetch()}
          aria-disabled={list.isFetching || undefined}
        >
          {list.isFetching ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    );
  else if (quotes.length === 0) body = <EmptyQuotes filter={filter} />;
  else body = <QuoteCards quotes={quotes} locale={locale} />;

  return (
    <div
      className={isUpdating ? 'list-results list-results--updating' : 'list-results'}
      aria-busy={list.isPending || isUpdating || undefined}
    >
      <LiveStatus>{announcement}</LiveStatus>
      {body}
    </div>
  );
}

function EmptyQuotes({ filter }: { filter: QuoteFilter }) {
  const { name } = usePortal();
  const copy: Record<QuoteFilter, { title: string; text: string }> = {
    waiting: {
      title: 'No quotes waiting for you',
      text: `When ${name} sends you a quote, it appears here for you to read and accept.`,
    },
    accepted: { title: 'No accepted quotes', text: 'Quotes you accept are kept here, with the signed PDF.' },
    declined: { title: 'No declined quotes', text: 'Quotes you decline are listed here.' },
    expired: { title: 'No expired quotes', text: 'Quotes that passed their end date without an answer are listed here.' },
    all: { title: 'No quotes yet', text: `Quotes from ${name} will appear here.` },
  };
  return (
    <div className="list-state">
      <p className="list-state__title">{copy[filter].title}</p>
      <p className="list-state__text">
        {copy[filter].text}{' '}
        {filter !== 'all' ? (
          <Link to={{ search: searchOf('all') }} className="list-state__link">
            See all quotes
          </Link>
        ) : null}
      </p>
    </div>
  );
}
