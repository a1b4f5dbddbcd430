import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { TTeamTicketDetail, TTeamTicketList, TTeamTicketRow } from '../../../features/tickets/team-ticket.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { isReadyImage } from '../../shared/attachments/file-urls.js';
import { ImageLightbox } from '../../shared/attachments/image-lightbox.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { useNow, ZonedDateTime } from '../../shared/formatted.js';
import type { FromInboxState } from '../inbox/inbox-table.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { TEAM_API_BASE } from '../team-api.js';
import { RelatedQuotes } from '../quotes/related-quotes.js';
import { TeamComposer } from './team-composer.js';
import { TicketConversation } from './ticket-conversation.js';
import { TicketDetailsPanel } from './ticket-details-panel.js';
import { TicketHistory } from './ticket-history.js';
import { PriorityLabel, StatusBadge, TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';
import { TICKET_LISTS_KEY, useMembers, useTicket } from './use-team-tickets.js';

/** The inbox row of this ticket, if a list in the cache has it: the page's header can show at once. */
function useRowFromLists(id: string): TTeamTicketRow | undefined {
  const queryClient = useQueryClient();
  const [row] = useState(() => {
    for (const [, data] of queryClient.getQueriesData<{ pages: TTeamTicketList[] }>({ queryKey: TICKET_LISTS_KEY })) {
      const found = data?.pages.flatMap((page) => page.tickets).find((ticket) => ticket.id === id);
      if (found) return found;
    }
    return undefined;
  });
  return row;
}

/**
 * `/app/tickets/:id`: the conversation (internal notes included, and visibly different), the
 * composer, and the ticket's details and history beside them. Opened from the inbox, the header
 * is drawn from the inbox row while the conversation loads.
 */
export function TicketPage() {
  const { id = '' } = useParams();
  const ticket = useTicket(id);
  const row = useRowFromLists(id);
  const queryClient = useQueryClient();
  // Opening a ticket marks it read: the inbox rows say so without waiting for their refetch.
  const isLoaded = Boolean(ticket.data);
  useEffect(() => {
    if (!isLoaded) return;
    queryClient.setQueriesData<{ pages: TTeamTicketList[]; pageParams: unknown[] }>({ queryKey: TICKET_LISTS_KEY }, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((page) => ({ ...page, tickets: page.tickets.map((t) => (t.id === id ? { ...t, unread: false } : t)) })),
          }
        : data,
    );
  }, [isLoaded, id, queryClient]);

  if (ticket.data) return <TicketView key={id} detail={ticket.data} />;
  if (ticket.isError) {
    const error = ticket.error;
    if (error instanceof ApiError && error.status === 404) {
      return (
        <MessageCard
          id="ticket-missing-title"
          pageTitle="Ticket not found"
          title="Ticket not found"
          text="This ticket does not exist in this organisation. Check the link, or find it in the inbox."
          actions={
            <Link className="button button--primary button--inline" to="/">
              Back to the inbox
            </Link>
          }
        />
      );
    }
    return (
      <LoadErrorCard
        title="This ticket could not load"
        message={messageOf(error)}
        isRetrying={ticket.isFetching}
        onRetry={() => void ticket.refetch()}
      />
    );
  }
  return <TicketSkeleton row={row} />;
}

function BackLink() {
  const state = useLocation().state as Partial<FromInboxState> | null;
  return (
    <Link className="back-link" to={{ pathname: '/', search: typeof state?.inboxSearch === 'string' ? state.inboxSearch : '' }}>
      <span aria-hidden="true">←</span> Inbox
    </Link>
  );
}

function TicketHeader({ ticket }: { ticket: TTeamTicketRow }) {
  const state = useLocation().state as Partial<FromInboxState> | null;
  return (
    <header className="ticket-head">
      <BackLink />
      <div className="ticket-head__title-row">
        <span className="ticket-head__number">#{ticket.number}</span>
        <PageHeading className="page-title ticket-head__title" skipFocus={Boolean(state?.focusReply)}>
          {ticket.title}
        </PageHeading>
      </div>
      <div className="ticket-head__meta">
        <StatusBadge status={ticket.status} labels={TEAM_STATUS_LABELS} />
        <PriorityLabel priority={ticket.priority} withMark />
        <span>
          {ticket.requester ? (
            <>
              <strong>{ticket.requester.name}</strong> <span className="muted">{ticket.requester.email}</span> ·{' '}
            </>
          ) : null}
          <Link to={`/clients/${encodeURIComponent(ticket.client.id)}`}>{ticket.client.name}</Link>
        </span>
        {ticket.awaitingReply ? <span className="awaiting">Awaiting reply</span> : null}
      </div>
    </header>
  );
}

function TicketView({ detail }: { detail: TTeamTicketDetail }) {
  const { ticket, messages, history } = detail;
  usePageTitle(`#${ticket.number} ${ticket.title}`);
  const location = useLocation();
  const members = useMembers();
  const now = useNow();
  const [lightboxId, setLightboxId] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const images = messages.flatMap((message) => message.attachments.filter(isReadyImage));
  const focusReply = Boolean((location.state as Partial<FromInboxState> | null)?.focusReply);

  // Opened with `r` from the inbox: straight into the reply box (the conversation's end in view).
  useEffect(() => {
    if (!focusReply) return;
    textareaRef.current?.focus({ preventScroll: true });
    textareaRef.current?.scrollIntoView({ block: 'center' });
  }, [focusReply]);

  return (
    <div className="page page--ticket">
      <TicketHeader ticket={ticket} />
      <div className="ticket-layout">
        <aside className="ticket-layout__side" aria-label="Ticket details">
          <TicketDetailsPanel ticket={ticket} members={members.data ?? []}>
            <dl className="facts details-facts">
              <div>
                <dt>Opened</dt>
                <dd>
                  <ZonedDateTime iso={ticket.createdAt} /> · {ticket.source === 'app' ? 'by the team' : `via ${ticket.source}`}
                </dd>
              </div>
              {ticket.closedAt ? (
                <div>
                  <dt>Closed</dt>
                  <dd>
                    <ZonedDateTime iso={ticket.closedAt} />
                    {ticket.closedBy ? ` by ${ticket.closedBy.name}` : ''}
                  </dd>
                </div>
              ) : null}
            </dl>
          </TicketDetailsPanel>
          <RelatedQuotes clientId={ticket.client.id} ticketId={ticket.id} headingLevel={2} className="side-card" />
        </aside>
        <div className="ticket-layout__main">
          <section aria-labelledby="conversation-title">
            <h2 className="section-title" id="conversation-title">
              Conversation
            </h2>
            <TicketConversation messages={messages} now={now} onOpenImage={setLightboxId} />
          </section>
          <TeamComposer
            ticketId={ticket.id}
            customerName={ticket.requester?.name ?? null}
            isClosed={ticket.status === 'closed'}
            textareaRef={textareaRef}
          />
        </div>
        <section className="side-card ticket-layout__history" aria-labelledby="history-title">
          <h2 className="section-title" id="history-title">
            History
          </h2>
          <TicketHistory history={history} now={now} />
        </section>
      </div>
      {lightboxId && images.length > 0 ? (
        <ImageLightbox apiBase={TEAM_API_BASE} images={images} startId={lightboxId} onClose={() => setLightboxId(null)} />
      ) : null}
    </div>
  );
}

/** While the ticket loads: the header from the inbox row when there is one, grey bars for the rest. */
function TicketSkeleton({ row }: { row: TTeamTicketRow | undefined }) {
  usePageTitle(row ? `#${row.number} ${row.title}` : null);
  return (
    <div className="page page--ticket" aria-busy="true">
      {row ? (
        <TicketHeader ticket={row} />
      ) : (
        <header className="ticket-head">
          <BackLink />
          <PageHeading className="page-title ticket-head__title">
            <span className="visually-hidden">Loading ticket…</span>
            <span className="skeleton skeleton--heading" aria-hidden="true" />
          </PageHeading>
        </header>
      )}
      <div className="ticket-layout" aria-hidden="true">
        <div className="ticket-layout__main">
          <span className="skeleton skeleton--block" />
          <span className="skeleton skeleton--block skeleton--short" />
        </div>
        <div className="ticket-layout__side">
          <span className="skeleton skeleton--block" />
        </div>
      </div>
      <LiveStatus>Loading the conversation…</LiveStatus>
    </div>
  );
}
