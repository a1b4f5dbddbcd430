import { useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { ListEmpty, ListError, ListSkeleton } from '../layout/list-states.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { QUOTE_STATUS_LABELS } from './quote-labels.js';
import { statusFilterFrom } from './quote-filters.js';
import { QuoteStatusTabs } from './quote-status-tabs.js';
import { QuotesTable } from './quotes-table.js';
import { useQuoteList, type QuoteStatusFilter } from './use-quotes.js';

function emptyTitle(status: QuoteStatusFilter): string {
  if (status === 'all') return 'No quotes yet.';
  if (status === 'open') return 'No open quotes.';
  return `No quotes are ${QUOTE_STATUS_LABELS[status].toLowerCase()}.`;
}

/** `/app/quotes`: every quote of the organisation, newest change first, by status (in the URL), with "Load more". */
export function QuotesPage() {
  usePageTitle('Quotes');
  const { locale } = useOrganisationFormats();
  const status = statusFilterFrom(useLocation().search);
  const filters = useMemo(() => ({ status }), [status]);
  const list = useQuoteList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.quotes) ?? [], [list.data]);
  const counts = list.data?.pages[0]?.counts;

  return (
    <div className="page page--quotes">
      <div className="page-head">
        <PageHeading>Quotes</PageHeading>
        <div className="page-head__actions">
          <Link className="button button--primary button--inline" to="/quotes/new">
            New quote
          </Link>
        </div>
      </div>
      <QuoteStatusTabs current={status} counts={counts} locale={locale} />
      <div className="quotes-body">
        {list.isError && rows.length === 0 ? (
          <ListError message={messageOf(list.error)} onRetry={() => void list.refetch()} />
        ) : list.isPending ? (
          <ListSkeleton rows={6} />
        ) : rows.length === 0 ? (
          <ListEmpty title={emptyTitle(status)}>
            {status === 'all' ? (
              <Link className="button button--secondary button--inline" to="/quotes/new">
                Write the first quote
              </Link>
            ) : (
              <Link className="button button--secondary button--inline" to="/quotes">
                Show all quotes
              </Link>
            )}
          </ListEmpty>
        ) : (
          <QuotesTable rows={rows} caption="Quotes" isDimmed={list.isPlaceholderData} />
        )}
        {list.hasNextPage ? (
          <div className="load-more">
            <button
              type="button"
              className="button button--secondary button--inline"
              onClick={() => void list.fetchNextPage()}
              aria-disabled={list.isFetchingNextPage || undefined}
            >
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </div>
      <LiveStatus>{list.isFetching && !list.isFetchingNextPage ? 'Loading quotes…' : ''}</LiveStatus>
    </div>
  );
}
