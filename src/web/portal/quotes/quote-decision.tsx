import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { TPortalQuoteDetail } from '../../../features/quotes/portal-quote.schemas.js';
import type { ApiError } from '../../shared/api-client.js';
import { usePortal } from '../portal-context.js';
import { AcceptQuoteForm } from './accept-quote-form.js';
import { DeclineQuoteDialog } from './decline-quote-dialog.js';
import { RequestChangesForm } from './request-changes-form.js';

/**
 * What the customer can answer while the quote waits for them: accept it (with the form), ask for
 * changes (a message on its ticket) or decline it (a dialog). Each part shows only when allowed.
 */
export function QuoteDecision({ detail, onRefused }: { detail: TPortalQuoteDetail; onRefused: (error: ApiError) => void }) {
  const { quote, can } = detail;
  const { name } = usePortal();
  const [isAsking, setIsAsking] = useState(false);
  const [isDeclining, setIsDeclining] = useState(false);
  const [changesTicketId, setChangesTicketId] = useState<string | null>(null);
  const askButtonRef = useRef<HTMLButtonElement>(null);
  const declineButtonRef = useRef<HTMLButtonElement>(null);
  const sentRef = useRef<HTMLParagraphElement>(null);
  const ticketNumber = changesTicketId && quote.ticket?.id === changesTicketId ? quote.ticket.number : null;

  return (
    <>
      {can.accept ? (
        <div className="panel panel--form decision">
          {/* Keyed by version: a newer version starts a fresh form (its sentence and total differ). */}
          <AcceptQuoteForm key={quote.version} quote={quote} onRefused={onRefused} />
        </div>
      ) : null}
      {can.requestChanges || can.decline || changesTicketId ? (
        <section className="panel decision-other" aria-labelledby="other-title">
          <h2 className="section-title" id="other-title">
            Not ready to accept?
          </h2>
          <p className="muted">Ask {name} to change something, or decline the quote.</p>
          {changesTicketId ? (
            <p className="notice notice--success decision-other__sent" ref={sentRef} tabIndex={-1}>
              Your message was sent to {name}.{' '}
              <Link to={`/tickets/${encodeURIComponent(changesTicketId)}`}>
                {ticketNumber ? `Follow it on request #${ticketNumber}` : 'Follow it on the request'}
              </Link>
              .
            </p>
          ) : null}
          {isAsking ? (
            <RequestChangesForm
              quoteId={quote.id}
              ticketNumber={quote.ticket?.number ?? null}
              onSent={(ticketId) => {
                setIsAsking(false);
                setChangesTicketId(ticketId);
                window.setTimeout(() => sentRef.current?.focus(), 0);
              }}
              onCancel={() => {
                setIsAsking(false);
                window.setTimeout(() => askButtonRef.current?.focus(), 0);
              }}
              onRefused={onRefused}
            />
          ) : (
            <div className="form-actions">
              {can.requestChanges ? (
                <button
                  ref={askButtonRef}
                  type="button"
                  className="button button--secondary button--inline"
                  onClick={() => {
                    setChangesTicketId(null);
                    setIsAsking(true);
                  }}
                >
                  Ask for changes
                </button>
              ) : null}
              {can.decline ? (
                <button
                  ref={declineButtonRef}
                  type="button"
                  className="button button--secondary button--inline button--danger-outline"
                  onClick={() => setIsDeclining(true)}
                >
                  Decline quote
                </button>
              ) : null}
            </div>
          )}
        </section>
      ) : null}
      {isDeclining ? (
        <DeclineQuoteDialog
          quoteId={quote.id}
          quoteNumber={quote.number}
          onDismiss={() => {
            setIsDeclining(false);
            declineButtonRef.current?.focus();
          }}
          onDeclined={() => setIsDeclining(false)}
          onRefused={(error) => {
            setIsDeclining(false);
            onRefused(error);
          }}
        />
      ) : null}
    </>
  );
}
