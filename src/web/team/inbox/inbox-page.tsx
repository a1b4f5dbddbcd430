import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { TTeamTicketRow } from '../../../features/tickets/team-ticket.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { useNow } from '../../shared/formatted.js';
import { commandForKey, NO_SELECTION, selectionReducer } from '../lib/inbox-keyboard.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';
import { prefetchTicket, useMembers, useTicketList, useUpdateAnyTicket } from '../tickets/use-team-tickets.js';
import { filtersFromSearch, isNarrowed, searchFromFilters, type InboxFilters } from './inbox-filters.js';
import { ListEmpty, ListError, ListSkeleton } from '../layout/list-states.js';
import { InboxTable, type FromInboxState } from './inbox-table.js';
import { FilterBar, StatusTabs } from './inbox-toolbar.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';
import { UndoToast, type UndoState } from './undo-toast.js';

/** True when keys typed now go into a field, so they are text and not shortcuts. */
function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * `/app/` — the inbox: the organisation's tickets with filters in the URL, counts per status,
 * keyset "Load more", and the keyboard (j/k, Enter/o, r, e, ?). Opening a ticket is an in-app
 * navigation: its code is preloaded, its data requested on the press (before the click ends), and
 * its header drawn at once from the row (see TicketPage).
 */
export function InboxPage() {
  usePageTitle('Inbox');
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { locale } = useOrganisationFormats();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(location.search)), [location.search]);
  const list = useTicketList(filters);
  const members = useMembers();
  const now = useNow();
  const close = useUpdateAnyTicket();
  const [selection, dispatch] = useReducer(selectionReducer, NO_SELECTION);
  const [isHelpOpen, setIsHelpOpen] = useState(false);
  const [undo, setUndo] = useState<UndoState | null>(null);
  const dismissUndo = useCallback(() => setUndo(null), []);
  const [announcement, setAnnouncement] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.tickets) ?? [], [list.data]);
  const ids = useMemo(() => rows.map((row) => row.id), [rows]);
  const counts = list.data?.pages[0]?.counts;
  const inboxSearch = searchFromFilters(filters);

  useEffect(() => dispatch({ type: 'sync', ids }), [ids]);

  const setFilters = useCallback(
    (next: InboxFilters, options: { replace?: boolean } = {}) => {
      void navigate({ pathname: '/', search: searchFromFilters(next) }, { replace: options.replace ?? false });
    },
    [navigate],
  );

  const focusRow = (id: string) => {
    const link = tableRef.current?.querySelector<HTMLAnchorElement>(`tr[data-ticket-id="${CSS.escape(id)}"] .inbox-row__title`);
    link?.focus();
    link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  };
  const open = (row: TTeamTicketRow, focusReply = false) =>
    void navigate(`/tickets/${encodeURIComponent(row.id)}`, { state: { inboxSearch, focusReply } satisfies FromInboxState });

  const closeTicket = (row: TTeamTicketRow) => {
    if (row.status === 'closed') {
      setAnnouncement(`#${row.number} is already closed.`);
      return;
    }
    close.mutate(
      { id: row.id, change: { status: 'closed' } },
      {
        onSuccess: () => {
          setUndo({ ticketId: row.id, number: row.number, previousStatus: row.status, error: null });
          setAnnouncement(`Closed #${row.number}. Undo is available.`);
        },
        onError: (error) => setAnnouncement(`#${row.number} was not closed: ${messageOf(error)}`),
      },
    );
  };

  // The latest render's handlers, for one long-lived keydown listener.
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keyHandler.current = (event: KeyboardEvent) => {
    if (isHelpOpen || event.defaultPrevented) return;
    if (event.key === '/' && !isTypingIn(event.target)) {
      event.preventDefault();
      searchRef.current?.focus();
      return;
    }
    const command = commandForKey({
      key: event.key,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      isTyping: isTypingIn(event.target),
    });
    if (!command) return;
    const selected = rows.find((row) => row.id === selection.selectedId);
    // Enter on a link or button does what it always does; it only opens the selection from elsewhere.
    if (command === 'open' && event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('a, button')) return;
    event.preventDefault();
    switch (command) {
      case 'next':
      case 'previous': {
        const next = selectionReducer(selection, { type: 'move', step: command === 'next' ? 1 : -1, ids });
        dispatch({ type: 'move', step: command === 'next' ? 1 : -1, ids });
        if (next.selectedId) focusRow(next.selectedId);
        return;
      }
      case 'open':
      case 'reply':
        if (selected) {
          prefetchTicket(queryClient, selected.id);
          open(selected, command === 'reply');
        }
        return;
      case 'close':
        if (selected) closeTicket(selected);
        return;
      case 'help':
        setIsHelpOpen(true);
        return;
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const loadMore = () => {
    const firstNew = rows.length;
    void list.fetchNextPage().then((result) => {
      const nextRows = result.data?.pages.flatMap((page) => page.tickets) ?? [];
      const first = nextRows[firstNew];
      if (first) {
        dispatch({ type: 'select', id: first.id, ids: nextRows.map((row) => row.id) });
        window.requestAnimationFrame(() => focusRow(first.id));
      }
    });
  };

  const statusName =
    filters.status === 'not_closed' ? 'not closed' : filters.status === 'all' ? 'all' : TEAM_STATUS_LABELS[filters.status].toLowerCase();
  return (
    <div className="page page--inbox">
      <div className="page-head">
        <PageHeading>Inbox</PageHeading>
        <p className="page-head__hint muted">
          <kbd>j</kbd> <kbd>k</kbd> to move, <kbd>Enter</kbd> to open,{' '}
          <button type="button" className="link-button link-button--inline" onClick={() => setIsHelpOpen(true)}>
            all shortcuts <kbd>?</kbd>
          </button>
        </p>
        <div className="page-head__actions">
          <Link className="button button--primary button--inline" to="/tickets/new">
            New ticket
          </Link>
        </div>
      </div>
      <StatusTabs filters={filters} counts={counts} locale={locale} />
      <FilterBar filters={filters} members={members.data ?? []} onChange={setFilters} searchRef={searchRef} />
      <div className="inbox-body" ref={tableRef}>
        {list.isError && rows.length === 0 ? (
          <ListError message={messageOf(list.error)} onRetry={() => void list.refetch()} />
        ) : list.isPending ? (
          <ListSkeleton rows={8} />
        ) : rows.length === 0 ? (
          <ListEmpty title={isNarrowed(filters) ? 'No tickets match these filters.' : `No tickets are ${statusName}.`}>
            {isNarrowed(filters) ? (
              <button
                type="button"
                className="button button--secondary button--inline"
                onClick={() => setFilters({ ...filters, priority: '', assignee: '', clientId: '', awaiting: false, q: '' })}
              >
                Clear filters
              </button>
            ) : null}
          </ListEmpty>
        ) : (
          <InboxTable
            rows={rows}
            selectedId={selection.selectedId}
            inboxSearch={inboxSearch}
            now={now}
            isDimmed={list.isPlaceholderData}
            onSelect={(id) => dispatch({ type: 'select', id, ids })}
            onIntent={(id) => prefetchTicket(queryClient, id)}
          />
        )}
        {list.hasNextPage ? (
          <div className="load-more">
            <button
              type="button"
              className="button button--secondary button--inline"
              onClick={loadMore}
              aria-disabled={list.isFetchingNextPage || undefined}
            >
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </div>
      <LiveStatus>{list.isFetching && !list.isFetchingNextPage ? 'Loading tickets…' : announcement}</LiveStatus>
      {isHelpOpen ? <ShortcutsDialog onClose={() => setIsHelpOpen(false)} /> : null}
      {undo ? <UndoToast undo={undo} onDone={dismissUndo} onUndone={setAnnouncement} /> : null}
    </div>
  );
}
