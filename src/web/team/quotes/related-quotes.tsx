import { useId, useMemo } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { QuoteStatusBadge } from './quote-labels.js';
import { useQuoteList } from './use-quotes.js';
import { useQuoteFormat } from './use-quote-format.js';

/**
 * The quotes of one client or one ticket, with "New quote" for it: a section of the client's page
 * and of the ticket's side panel. A short list (newest change first) with "Load more".
 */
export function RelatedQuotes({
  clientId,
  ticketId,
  headingLevel = 2,
  className = 'card',
}: {
  clientId: string;
  ticketId?: string;
  headingLevel?: 2 | 3;
  className?: string;
}) {
  const titleId = useId();
  const format = useQuoteFormat();
  const filters = useMemo(() => ({ status: 'all' as const, clientId: ticketId ? undefined : clientId, ticketId }), [clientId, ticketId]);
  const list = useQuoteList(filters, 10);
  const rows = list.data?.pages.flatMap((page) => page.quotes) ?? [];
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const newSearch = new URLSearchParams({ clientId, ...(ticketId ? { ticketId } : {}) }).toString();
  return (
    <section className={`${className} related-quotes`} aria-labelledby={titleId}>
      <div className="card__head">
        <Heading className={headingLevel === 2 ? 'card__heading' : 'section-title'} id={titleId}>
          Quotes
        </Heading>
        <Link className="button button--secondary button--small button--inline" to={`/quotes/new?${newSearch}`}>
          New quote<span className="visually-hidden">{ticketId ? ' for this ticket' : ' for this client'}</span>
        </Link>
      </div>
      {list.isError && rows.length === 0 ? (
        <p className="notice notice--error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : list.isPending ? (
        <span className="skeleton skeleton--text" aria-hidden="true" />
      ) : rows.length === 0 ? (
        <p className="muted">{ticketId ? 'No quotes on this ticket yet.' : 'No quotes for this client yet.'}</p>
      ) : (
        <ul className="related-quotes__list">
          {rows.map((row) => (
            <li key={row.id} className="related-quote">
              <Link className="related-quote__title" to={`/quotes/${encodeURIComponent(row.id)}`}>
                <span className="related-quote__number">{row.number}</span> {row.title}
              </Link>
              <span className="related-quote__meta">
                <QuoteStatusBadge status={row.status} />
                <span className="money">{format.money(row.total.amount, row.total.currency)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage ? (
        <button
          type="button"
          className="button button--quiet button--small button--inline"
          onClick={() => void list.fetchNextPage()}
          aria-disabled={list.isFetchingNextPage || undefined}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more quotes'}
        </button>
      ) : null}
    </section>
  );
}
