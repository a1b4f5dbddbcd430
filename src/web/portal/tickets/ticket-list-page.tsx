import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { preloadSignedInPages } from '../lazy-pages.js';
import { useNow } from '../../shared/formatted.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import { TicketRows, TicketRowsSkeleton } from './ticket-rows.js';
import { useTicketList, type TicketFilter } from './use-tickets.js';

const FILTERS: readonly { value: TicketFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

const SEARCH_DELAY_MS = 250;
const SEARCH_MAX = 200;

function readFilter(value: string | null): TicketFilter {
  return value === 'closed' || value === 'all' ? value : 'open';
}

/** `?status=closed&q=boiler`; the default filter (open) and an empty search stay out of the URL. */
function listSearchOf(status: TicketFilter, q: string): string {
  const params = new URLSearchParams();
  if (status !== 'open') params.set('status', status);
  if (q) params.set('q', q);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * `/` for a signed-in customer: their requests. The filter and the search live in the URL, so a
 * link or a reload shows the same list and Back returns to the previous filter.
 */
export function TicketListPage() {
  const { submissionsEnabled } = usePortal();
  usePageTitle('Requests');
  const [searchParams, setSearchParams] = useSearchParams();
  const status = readFilter(searchParams.get('status'));
  const q = (searchParams.get('q') ?? '').trim().slice(0, SEARCH_MAX);
  useEffect(preloadSignedInPages, []);

  return (
    <div className="page">
      <div className="page-head">
        <div className="page-head__text">
          <PageHeading className="page-title">Your requests</PageHeading>
        </div>
        {submissionsEnabled ? (
          <Link className="button button--primary button--inline" to="/tickets/new">
            <span aria-hidden="true" className="button__plus">
              +
            </span>
            New request
          </Link>
        ) : null}
      </div>
      <div className="list-toolbar">
        <nav aria-label="Filter requests">
          <ul className="tabs">
            {FILTERS.map((filter) => (
              <li key={filter.value}>
                <Link
                  className="tabs__tab"
                  to={{ search: listSearchOf(filter.value, q) }}
                  aria-current={filter.value === status ? 'page' : undefined}
                >
                  {filter.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox
          q={q}
          onSearch={(next) =>
            // Starting a search is a step Back can undo; refining it is not (one entry per keystroke would bury Back).
            setSearchParams(new URLSearchParams(listSearchOf(status, next)), { replace: q !== '' && next !== '' })
          }
        />
      </div>
      <TicketResults status={status} q={q} listSearch={listSearchOf(status, q)} />
    </div>
  );
}

/** The search box: the URL follows the text 250 ms after the last keystroke, or at once on Enter. */
function SearchBox({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(q);
  const applied = useRef(q);
  // Back, Forward or a tab link changed the URL: the box shows what is searched.
  useEffect(() => {
    if (q === applied.current) return;
    applied.current = q;
    setText(q);
  }, [q]);
  const apply = (value: string) => {
    const next = value.trim();
    if (next === applied.current) return;
    applied.current = next;
    onSearch(next);
  };
  useEffect(() => {
    const timer = window.setTimeout(() => apply(text), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
    // Keyed on the text only: `apply` is a new function every render, and the timer restarts per keystroke.
  }, [text]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(text);
  };
  return (
    <form className="search" role="search" onSubmit={onSubmit}>
      <label className="visually-hidden" htmlFor="ticket-search">
        Search requests by title or number
      </label>
      <svg className="search__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="m20 20-3.5-3.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        id="ticket-search"
        className="search__input"
        type="search"
        name="q"
        placeholder="Search by title or number"
        autoComplete="off"
        enterKeyHint="search"
        maxLength={SEARCH_MAX}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
    </form>
  );
}

function TicketResults({ status, q, listSearch }: { status: TicketFilter; q: string; listSearch: string }) {
  const list = useTicketList({ status, q });
  const now = useNow();
  const tickets = list.data?.pages.flatMap((page) => page.tickets) ?? [];
  const resultsRef = useRef<HTMLDivElement>(null);
  // After "Load more", the focus moves to the first new request: the button may be gone (last
  // page), and either way that is where the reader continues.
  const firstNewRow = useRef<number | null>(null);
  useEffect(() => {
    const index = firstNewRow.current;
    if (index === null || tickets.length <= index) return;
    firstNewRow.current = null;
    resultsRef.current?.querySelectorAll<HTMLElement>('.ticket-row__link')[index]?.focus();
  }, [tickets.length]);
  // A new filter or search is loading while the previous rows stay (dimmed); a quiet background
  // refresh of the same list changes nothing on screen.
  const isUpdating = list.isPlaceholderData;

  let announcement = '';
  if (list.isPending || isUpdating) announcement = 'Loading requests…';
  else if (list.isFetchingNextPage) announcement = 'Loading more requests…';
  else if (list.data)
    announcement = `${tickets.length} ${tickets.length === 1 ? 'request' : 'requests'} shown${list.hasNextPage ? ', more available' : ''}.`;

  let body;
  if (list.isPending) body = <TicketRowsSkeleton />;
  else if (list.isError && !list.isFetchNextPageError)
    body = <ListError message={messageOf(list.error)} isRetrying={list.isFetching} onRetry={() => void list.refetch()} />;
  else if (tickets.length === 0) body = <EmptyList status={status} q={q} />;
  else
    body = (
      <>
        <TicketRows tickets={tickets} now={now} listSearch={listSearch} />
        {list.hasNextPage ? (
          <div className="list-more">
            <button
              type="button"
              className="button button--secondary button--inline"
              aria-disabled={list.isFetchingNextPage || undefined}
              onClick={() => {
                if (list.isFetchingNextPage) return;
                firstNewRow.current = tickets.length;
                void list.fetchNextPage();
              }}
            >
              {list.isFetchingNextPage ? <span className="button__spinner" aria-hidden="true" /> : null}
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
        <ErrorNotice message={list.isFetchNextPageError ? messageOf(list.error) : null} />
      </>
    );

  return (
    <div
      ref={resultsRef}
      className={isUpdating ? 'list-results list-results--updating' : 'list-results'}
      aria-busy={list.isPending || isUpdating || undefined}
    >
      <LiveStatus>{announcement}</LiveStatus>
      {body}
    </div>
  );
}

function ListError({ message, isRetrying, onRetry }: { message: string; isRetrying: boolean; onRetry: () => void }) {
  return (
    <div className="list-state" role="alert">
      <p className="list-state__title">Your requests could not be loaded</p>
      <p className="list-state__text">{message}</p>
      <button type="button" className="button button--secondary button--inline" onClick={onRetry} aria-disabled={isRetrying || undefined}>
        {isRetrying ? 'Trying again…' : 'Try again'}
      </button>
    </div>
  );
}

function EmptyList({ status, q }: { status: TicketFilter; q: string }) {
  const { name, submissionsEnabled } = usePortal();
  const newRequest = submissionsEnabled ? (
    <>
      Need something? <Link to="/tickets/new">Submit a new request</Link>.
    </>
  ) : (
    <>Need something? Contact {name}.</>
  );
  if (q) {
    return (
      <div className="list-state">
        <p className="list-state__title">
          No {status === 'all' ? '' : `${status} `}requests match “<span className="list-state__query">{q}</span>”
        </p>
        <p className="list-state__text">
          Try another word from the title, or the request number.{' '}
          {status !== 'all' ? <Link to={{ search: listSearchOf('all', q) }}>Search all requests</Link> : null}
        </p>
      </div>
    );
  }
  const copy: Record<TicketFilter, { title: string; text: ReactNode }> = {
    open: { title: 'No open requests', text: newRequest },
    closed: { title: 'No closed requests', text: 'Requests that are finished and closed will be listed here.' },
    all: { title: 'No requests yet', text: submissionsEnabled ? newRequest : `Requests you make with ${name} will appear here.` },
  };
  return (
    <div className="list-state">
      <p className="list-state__title">{copy[status].title}</p>
      <p className="list-state__text">{copy[status].text}</p>
    </div>
  );
}
