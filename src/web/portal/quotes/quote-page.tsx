import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TPortalQuoteDetail } from '../../../features/quotes/portal-quote.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { CompassIcon } from '../layout/icons.js';
import { usePortal, usePortalApiBase } from '../portal-context.js';
import { QuoteDecision } from './quote-decision.js';
import { QuoteDocument } from './quote-document.js';
import { formatQuoteDate, formatQuoteMoney } from './quote-format.js';
import { AcceptanceSummary, DeclineSummary } from './quote-outcome.js';
import { QuoteStatusBadge } from './quote-status.js';
import { useQuote } from './use-quotes.js';

/** `/quotes/:id` (also where an emailed quote link lands): one quote, its current version. */
export function QuotePage() {
  const { id = '' } = useParams();
  const quote = useQuote(id);
  if (quote.data) return <QuoteView key={id} detail={quote.data} refetch={() => quote.refetch().then((r) => r.data)} />;
  if (quote.isError) {
    const error = quote.error;
    if (error instanceof ApiError && (error.code === 'QUOTE_NOT_FOUND' || error.status === 404)) return <QuoteNotFound />;
    return (
      <LoadErrorCard
        title="This quote could not load"
        message={messageOf(error)}
        isRetrying={quote.isFetching}
        onRetry={() => void quote.refetch()}
        extraActions={<BackToQuotesButton />}
      />
    );
  }
  return <QuoteSkeleton />;
}

interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
}

function QuoteView({ detail, refetch }: { detail: TPortalQuoteDetail; refetch: () => Promise<TPortalQuoteDetail | undefined> }) {
  const { quote, acceptance, decline } = detail;
  const portal = usePortal();
  const apiBase = usePortalApiBase();
  usePageTitle(`${quote.number} ${quote.title}`);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const outcomeRef = useRef<HTMLHeadingElement>(null);
  const money = (amount: number) => formatQuoteMoney(amount, quote.total.currency, quote.locale);

  // Accepted or declined while on the page: the outcome takes the focus and is announced.
  const previousStatus = useRef(quote.status);
  useEffect(() => {
    const was = previousStatus.current;
    previousStatus.current = quote.status;
    if (was === quote.status || (quote.status !== 'accepted' && quote.status !== 'declined')) return;
    setNotice(null);
    setAnnouncement(quote.status === 'accepted' ? `You accepted quote ${quote.number}.` : `You declined quote ${quote.number}.`);
    outcomeRef.current?.focus();
  }, [quote.status, quote.number]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  /** A refusal about the quote's state: reload it and say what happened, in words. */
  const onRefused = (error: ApiError) => {
    const readVersion = quote.version;
    void refetch().then((fresh) => {
      if (error.code === 'QUOTE_SUPERSEDED') {
        const version = fresh?.quote.version ?? readVersion;
        setNotice({
          kind: 'info',
          text: `${portal.name} updated this quote while you were reading it: you now see version ${version}. Please read it again before you accept.`,
        });
      } else {
        setNotice({ kind: 'error', text: error.message });
      }
    });
  };

  return (
    <div className="page page--quote">
      <Link className="back-link" to="/quotes">
        <span aria-hidden="true">←</span> All quotes
      </Link>
      <header className="ticket-head quote-head">
        <div className="ticket-head__top quote-head__top">
          <p className="ticket-head__number">
            Quote {quote.number} · Version {quote.version}
          </p>
          <div className="quote-head__actions">
            <a
              className="button button--secondary button--inline button--small"
              href={`${apiBase}/quotes/${encodeURIComponent(quote.id)}/pdf`}
              download={`${quote.number}.pdf`}
            >
              Download PDF
            </a>
            <button type="button" className="button button--secondary button--inline button--small" onClick={() => window.print()}>
              Print
            </button>
          </div>
        </div>
        <PageHeading className="page-title ticket-head__title">{quote.title}</PageHeading>
        <div className="ticket-head__badges">
          <QuoteStatusBadge status={quote.status} />
        </div>
        <dl className="facts">
          <div className="facts__item">
            <dt>Total</dt>
            <dd className="quote-head__total">{money(quote.total.amount)}</dd>
          </div>
          <div className="facts__item">
            <dt>Valid until</dt>
            <dd>{quote.validUntil ? formatQuoteDate(quote.validUntil, quote.locale) : 'No end date'}</dd>
          </div>
          {quote.ticket ? (
            <div className="facts__item facts__item--wide">
              <dt>Request</dt>
              <dd>
                <Link className="quote-head__ticket" to={`/tickets/${encodeURIComponent(quote.ticket.id)}`}>
                  #{quote.ticket.number} {quote.ticket.title}
                </Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </header>

      {notice ? (
        <p
          ref={noticeRef}
          tabIndex={-1}
          className={`notice notice--${notice.kind} quote-notice`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      ) : null}
      <StatusNote detail={detail} />
      {acceptance ? <AcceptanceSummary acceptance={acceptance} quote={quote} headingRef={outcomeRef} /> : null}
      {decline ? <DeclineSummary decline={decline} quote={quote} headingRef={outcomeRef} /> : null}
      <QuoteDocument quote={quote} />
      <QuoteDecision detail={detail} onRefused={onRefused} />
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}

/** Why there is nothing to answer, for a quote that can no longer be accepted or declined. */
function StatusNote({ detail }: { detail: TPortalQuoteDetail }) {
  const { name } = usePortal();
  const { quote } = detail;
  if (quote.status === 'expired') {
    const day = quote.validUntil ? ` on ${formatQuoteDate(quote.validUntil, quote.locale)}` : '';
    return (
      <p className="notice quote-notice">
        This quote expired{day}. Ask {name} for a new one if you still need the work done.
      </p>
    );
  }
  if (quote.status === 'withdrawn')
    return <p className="notice quote-notice">{name} withdrew this quote, so it can no longer be accepted.</p>;
  return null;
}

function BackToQuotesButton() {
  return (
    <Link className="button button--secondary" to="/quotes">
      Back to your quotes
    </Link>
  );
}

function QuoteSkeleton() {
  usePageTitle(null);
  return (
    <div className="page page--quote" aria-busy="true">
      <div className="ticket-head">
        <span className="skeleton skeleton--text" />
        <PageHeading className="page-title ticket-head__title">
          <span className="visually-hidden">Loading quote…</span>
          <span className="skeleton skeleton--heading" aria-hidden="true" />
        </PageHeading>
        <span className="skeleton skeleton--badge" />
      </div>
      <div className="panel" aria-hidden="true">
        <span className="skeleton skeleton--block" />
        <span className="skeleton skeleton--block skeleton--w1" />
      </div>
      <LiveStatus>Loading quote…</LiveStatus>
    </div>
  );
}

function QuoteNotFound() {
  return (
    <MessageCard
      id="quote-missing-title"
      pageTitle="Quote not found"
      icon={<CompassIcon />}
      title="Quote not found"
      text="This quote does not exist, or it is not one you can see. Check the link, or find it in your quotes."
      actions={
        <Link className="button button--primary" to="/quotes">
          Back to your quotes
        </Link>
      }
    />
  );
}
