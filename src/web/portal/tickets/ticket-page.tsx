import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { TPortalTicketDetail } from '../../../features/tickets/portal-ticket.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { isReadyImage } from '../../shared/attachments/file-urls.js';
import { ImageLightbox } from '../../shared/attachments/image-lightbox.js';
import { revokePreviews, type UploadItem } from '../../shared/attachments/upload-queue.js';
import { useUploads } from '../../shared/attachments/use-uploads.js';
import { useMe } from '../auth/use-me.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { DateTime, Money, ScheduledDate, useNow } from '../../shared/formatted.js';
import { CompassIcon } from '../layout/icons.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { BackToRequestsLink } from './back-to-requests-link.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal, usePortalApiBase } from '../portal-context.js';
import { CloseTicketDialog } from './close-ticket-dialog.js';
import { ReplyComposer } from './reply-composer.js';
import { Conversation, type PendingReply } from './ticket-conversation.js';
import { CUSTOMER_STATUS_LABELS, PriorityLabel, StatusBadge } from '../../shared/ticket-labels.js';
import type { FromListState } from './ticket-rows.js';
import { useReply, useTicket } from './use-tickets.js';
import { QuoteStatusBadge } from '../quotes/quote-status.js';

/** `/tickets/:id`: one request, its conversation and what the customer can do with it. */
export function TicketPage() {
  const { id = '' } = useParams();
  const ticket = useTicket(id);
  if (ticket.data) return <TicketView key={id} detail={ticket.data} />;
  if (ticket.isError) {
    const error = ticket.error;
    if (error instanceof ApiError && (error.code === 'TICKET_NOT_FOUND' || error.status === 404)) return <TicketNotFound />;
    return (
      <LoadErrorCard
        title="This request could not load"
        message={messageOf(error)}
        isRetrying={ticket.isFetching}
        onRetry={() => void ticket.refetch()}
        extraActions={<BackToRequestsLink primary={false} />}
      />
    );
  }
  return <TicketSkeleton />;
}

function BackLink() {
  const state = useLocation().state as Partial<FromListState> | null;
  const listSearch = typeof state?.listSearch === 'string' ? state.listSearch : '';
  return (
    <Link className="back-link" to={{ pathname: '/', search: listSearch }}>
      <span aria-hidden="true">←</span> All requests
    </Link>
  );
}

function TicketView({ detail }: { detail: TPortalTicketDetail }) {
  const { ticket, messages, history, quotes, can } = detail;
  const portal = usePortal();
  const me = useMe();
  const now = useNow();
  usePageTitle(`#${ticket.number} ${ticket.title}`);
  const reply = useReply(ticket.id);
  const apiBase = usePortalApiBase();
  const uploads = useUploads(apiBase);
  const [pending, setPending] = useState<PendingReply[]>([]);
  const [draft, setDraft] = useState('');
  const [lightboxId, setLightboxId] = useState<string | null>(null);
  const [isClosing, setIsClosing] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const closeButtonRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLDivElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const localIds = useRef(0);

  const isClosed = ticket.status === 'closed';
  const canCompose = isClosed ? can.reopenByReply : can.reply;
  // Previous/next in the lightbox go through every image of the ticket, oldest first.
  const images = messages.flatMap((message) => message.attachments.filter(isReadyImage));

  // The previews of replies still on screen as pending belong to the page (see UploadQueue.take).
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  useEffect(() => () => pendingRef.current.forEach((p) => revokePreviews(p.files)), []);

  const send = (body: string, files: readonly UploadItem[], localId = `local-${(localIds.current += 1)}`) => {
    setPending((list) => [...list.filter((p) => p.localId !== localId), { localId, body, files, state: 'sending', error: null }]);
    setAnnouncement('Sending your reply…');
    const fileIds = files.flatMap((file) => (file.attachment ? [file.attachment.id] : []));
    reply.mutateAsync({ body, fileIds, localId }).then(
      () => {
        setPending((list) => list.filter((p) => p.localId !== localId));
        revokePreviews(files);
        setAnnouncement('Your reply was sent.');
      },
      (error: unknown) => {
        const message = messageOf(error);
        setPending((list) => list.map((p) => (p.localId === localId ? { ...p, state: 'failed', error: message } : p)));
        setAnnouncement('');
      },
    );
  };

  return (
    <div className="page page--ticket">
      <BackLink />
      <header className="ticket-head">
        <div className="ticket-head__top">
          <p className="ticket-head__number">Request #{ticket.number}</p>
          {can.close && !isClosed ? (
            <button
              ref={closeButtonRef}
              type="button"
              className="button button--secondary button--inline button--small"
              onClick={() => setIsClosing(true)}
            >
              Close ticket
            </button>
          ) : null}
        </div>
        <div ref={headingRef}>
          <PageHeading className="page-title ticket-head__title">{ticket.title}</PageHeading>
        </div>
        <div className="ticket-head__badges">
          <StatusBadge status={ticket.status} labels={CUSTOMER_STATUS_LABELS} />
          <span className="ticket-head__priority">
            <span className="ticket-head__label">Priority</span> <PriorityLabel priority={ticket.priority} />
          </span>
        </div>
        <dl className="facts">
          <div className="facts__item">
            <dt>Scheduled</dt>
            <dd>{ticket.scheduledAt ? <ScheduledDate iso={ticket.scheduledAt} /> : 'Not scheduled yet'}</dd>
          </div>
          <div className="facts__item">
            <dt>Charge</dt>
            <dd>{ticket.charge ? <Money amount={ticket.charge.amount} currency={ticket.charge.currency} /> : 'None yet'}</dd>
          </div>
          <div className="facts__item facts__item--wide">
            <dt>Opened</dt>
            <dd>
              <DateTime iso={ticket.createdAt} />
              {ticket.requester ? ` by ${ticket.requester}` : null}
            </dd>
          </div>
          {isClosed && ticket.closedAt ? (
            <div className="facts__item facts__item--wide">
              <dt>Closed</dt>
              <dd>
                <DateTime iso={ticket.closedAt} />
                {ticket.closedBy ? ` by ${ticket.closedBy}` : null}
              </dd>
            </div>
          ) : null}
        </dl>
      </header>

      <div className="ticket-layout">
        <div className="ticket-layout__main">
          <section className="panel" aria-labelledby="conversation-title">
            <h2 className="section-title" id="conversation-title">
              Conversation
            </h2>
            <Conversation
              messages={messages}
              pending={pending}
              customerName={me.data?.contact.name ?? 'You'}
              now={now}
              onRetry={(failed) => send(failed.body, failed.files, failed.localId)}
              onEdit={(failed) => {
                setPending((list) => list.filter((p) => p.localId !== failed.localId));
                setDraft(failed.body);
                uploads.queue.restore(failed.files);
                textareaRef.current?.focus();
              }}
              onOpenImage={setLightboxId}
            />
          </section>
          {canCompose ? (
            <section className="panel">
              <ReplyComposer
                draft={draft}
                onDraftChange={setDraft}
                isClosed={isClosed}
                textareaRef={textareaRef}
                uploads={uploads}
                onSend={(body) => {
                  send(body, uploads.queue.take());
                  setDraft('');
                }}
              />
            </section>
          ) : (
            <p className="notice ticket-closed-note">
              This ticket is closed, so it cannot take replies.{' '}
              {portal.submissionsEnabled ? (
                <>
                  Need something else? <Link to="/tickets/new">Submit a new request</Link>.
                </>
              ) : (
                <>Need something else? Contact {portal.name}.</>
              )}
            </p>
          )}
        </div>
        <aside className="ticket-layout__side" aria-label="Request details">
          {quotes.length > 0 ? (
            <section className="panel" aria-labelledby="quotes-title">
              <h2 className="section-title" id="quotes-title">
                Quotes
              </h2>
              <ul className="quote-list">
                {quotes.map((quote) => (
                  <li key={quote.id} className="quote-list__item">
                    <Link className="quote-list__link" to={`/quotes/${encodeURIComponent(quote.id)}`}>
                      {quote.title}
                    </Link>
                    <QuoteStatusBadge status={quote.status} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="panel" aria-labelledby="history-title">
            <h2 className="section-title" id="history-title">
              Status history
            </h2>
            {history.length === 0 ? (
              <p className="muted">No changes yet.</p>
            ) : (
              <ol className="timeline">
                {history.map((entry, index) => (
                  <li key={`${entry.at}-${index}`} className={`timeline__item timeline__item--${entry.status}`}>
                    <span className="timeline__status">{CUSTOMER_STATUS_LABELS[entry.status]}</span>
                    <span className="timeline__meta">
                      <DateTime iso={entry.at} />
                      {entry.by ? ` · ${entry.by}` : null}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
      <LiveStatus>{announcement}</LiveStatus>
      {lightboxId && images.length > 0 ? (
        <ImageLightbox apiBase={apiBase} images={images} startId={lightboxId} onClose={() => setLightboxId(null)} />
      ) : null}
      {isClosing ? (
        <CloseTicketDialog
          ticketId={ticket.id}
          ticketNumber={ticket.number}
          onDismiss={() => {
            setIsClosing(false);
            closeButtonRef.current?.focus();
          }}
          onClosed={() => {
            setIsClosing(false);
            setAnnouncement(`Request #${ticket.number} is closed.`);
            // The close button is gone: the heading is the natural place to continue from.
            headingRef.current?.querySelector('h1')?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

function TicketSkeleton() {
  usePageTitle(null);
  return (
    <div className="page page--ticket" aria-busy="true">
      <BackLink />
      <div className="ticket-head">
        <span className="skeleton skeleton--text" />
        <PageHeading className="page-title ticket-head__title">
          <span className="visually-hidden">Loading request…</span>
          <span className="skeleton skeleton--heading" aria-hidden="true" />
        </PageHeading>
        <span className="skeleton skeleton--badge" />
      </div>
      <div className="panel" aria-hidden="true">
        <span className="skeleton skeleton--block" />
        <span className="skeleton skeleton--block skeleton--w1" />
      </div>
      <LiveStatus>Loading request…</LiveStatus>
    </div>
  );
}

function TicketNotFound() {
  return (
    <MessageCard
      id="ticket-missing-title"
      pageTitle="Request not found"
      icon={<CompassIcon />}
      title="Request not found"
      text="This request does not exist, or it is not one you can see. Check the link, or find it in your list."
      actions={<BackToRequestsLink />}
    />
  );
}
