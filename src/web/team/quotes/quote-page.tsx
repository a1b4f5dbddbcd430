import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { useNow, ZonedDateTime } from '../../shared/formatted.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { LoadErrorCard } from '../../shared/states.js';
import { QuoteActions } from './quote-actions.js';
import { QuoteAcceptanceBox, QuoteDeclineBox } from './quote-decision.js';
import { QuoteDocument } from './quote-document.js';
import { QuoteMissing } from './quote-editor-pages.js';
import type { QuoteNotice } from './quote-form.js';
import { QuoteActivity, QuoteVersions } from './quote-history.js';
import { QuoteStatusBadge } from './quote-labels.js';
import { useQuote } from './use-quotes.js';
import { useQuoteFormat } from './use-quote-format.js';

/** `/app/quotes/:id`: the quote as the customer sees it, what the team may do with it, who decided, and its history. */
export function QuotePage() {
  const { id = '' } = useParams();
  const quote = useQuote(id);
  if (quote.data) return <QuoteView key={id} detail={quote.data} />;
  if (quote.isError) {
    if (quote.error instanceof ApiError && quote.error.status === 404) return <QuoteMissing />;
    return (
      <LoadErrorCard
        title="This quote could not load"
        message={messageOf(quote.error)}
        isRetrying={quote.isFetching}
        onRetry={() => void quote.refetch()}
      />
    );
  }
  return (
    <div className="page page--quote" aria-busy="true">
      <Link className="back-link" to="/quotes">
        <span aria-hidden="true">←</span> Quotes
      </Link>
      <PageHeading>
        <span className="visually-hidden">Loading quote…</span>
        <span className="skeleton skeleton--heading" aria-hidden="true" />
      </PageHeading>
      <span className="skeleton skeleton--block" aria-hidden="true" />
      <LiveStatus>Loading the quote…</LiveStatus>
    </div>
  );
}

function QuoteView({ detail }: { detail: TTeamQuoteDetail }) {
  const { quote } = detail;
  usePageTitle(`${quote.number} ${quote.title}`);
  const format = useQuoteFormat();
  const now = useNow();
  const arrived = (useLocation().state as Partial<QuoteNotice> | null)?.notice ?? null;
  const [announcement, setAnnouncement] = useState('');
  const notice = announcement ? { kind: 'success' as const, text: announcement } : arrived;

  return (
    <div className="page page--quote">
      <Link className="back-link" to="/quotes">
        <span aria-hidden="true">←</span> Quotes
      </Link>
      <header className="quote-head">
        <p className="quote-head__number">
          {quote.number} <span className="muted">· version {quote.version}</span>
        </p>
        <PageHeading className="page-title quote-head__title">{quote.title}</PageHeading>
        <div className="quote-head__meta">
          <QuoteStatusBadge status={quote.status} />
          <Link to={`/clients/${encodeURIComponent(quote.client.id)}`}>{quote.client.name}</Link>
          {quote.ticket ? (
            <Link to={`/tickets/${encodeURIComponent(quote.ticket.id)}`}>
              #{quote.ticket.number} {quote.ticket.title}
            </Link>
          ) : null}
          <span className="quote-head__total">
            <span className="visually-hidden">Total </span>
            <span className="money">{format.money(quote.total.amount, quote.total.currency)}</span>
          </span>
        </div>
      </header>
      {notice ? (
        <p className={`notice notice--${notice.kind} quote-notice`} role={notice.kind === 'error' ? 'alert' : undefined}>
          {notice.text}
        </p>
      ) : null}
      <QuoteActions detail={detail} onAnnounce={setAnnouncement} />
      <div className="quote-layout">
        <div className="quote-layout__main">
          <QuoteDocument quote={quote} />
        </div>
        <div className="quote-layout__side">
          <section className="side-card" aria-labelledby="quote-facts-title">
            <h2 className="section-title" id="quote-facts-title">
              Details
            </h2>
            <dl className="facts">
              <div>
                <dt>Valid until</dt>
                <dd>{quote.validUntil ? format.date(quote.validUntil) : 'No end date'}</dd>
              </div>
              <div>
                <dt>Signature</dt>
                <dd>{quote.requiresSignature ? 'Required to accept' : 'Not required'}</dd>
              </div>
              <div>
                <dt>Recipients</dt>
                <dd>
                  {quote.recipients.length === 0
                    ? 'Every active contact of the client'
                    : quote.recipients.map((r) => (
                        <span key={r.contactId} className="quote-recipient">
                          {r.name} <span className="muted">{r.email}</span>
                        </span>
                      ))}
                </dd>
              </div>
              {quote.sentAt ? (
                <div>
                  <dt>Sent</dt>
                  <dd>
                    <ZonedDateTime iso={quote.sentAt} />
                  </dd>
                </div>
              ) : null}
              {quote.status !== 'draft' ? (
                <div>
                  <dt>Viewed</dt>
                  <dd>
                    {quote.firstViewed ? (
                      <>
                        First viewed by {quote.firstViewed.by} on <ZonedDateTime iso={quote.firstViewed.at} />
                      </>
                    ) : (
                      'Not viewed yet'
                    )}
                  </dd>
                </div>
              ) : null}
            </dl>
          </section>
          {detail.acceptance ? <QuoteAcceptanceBox acceptance={detail.acceptance} /> : null}
          {detail.decline ? <QuoteDeclineBox decline={detail.decline} /> : null}
          <QuoteVersions versions={detail.versions} />
          <QuoteActivity events={detail.events} now={now} />
        </div>
      </div>
      <LiveStatus>{notice?.kind === 'success' ? notice.text : ''}</LiveStatus>
    </div>
  );
}
