import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { ZonedDateTime } from '../../shared/formatted.js';

const SIGNATURE_LABELS = { drawn: 'Drawn by hand', typed: 'Typed name', none: 'Not required' } as const;

/** The immutable acceptance: who signed, as which contact, when, from where, which version and its content hash. */
export function QuoteAcceptanceBox({ acceptance }: { acceptance: NonNullable<TTeamQuoteDetail['acceptance']> }) {
  return (
    <section className="side-card quote-decision quote-decision--accepted" aria-labelledby="quote-acceptance-title">
      <h2 className="section-title" id="quote-acceptance-title">
        Accepted
      </h2>
      <dl className="facts">
        <div>
          <dt>Signed by</dt>
          <dd>{acceptance.signerName}</dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            {acceptance.contact.name} <span className="muted">{acceptance.contact.email}</span>
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <ZonedDateTime iso={acceptance.acceptedAt} withZone />
          </dd>
        </div>
        <div>
          <dt>IP address</dt>
          <dd>{acceptance.ip ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>v{acceptance.version}</dd>
        </div>
        <div>
          <dt>Signature</dt>
          <dd>{SIGNATURE_LABELS[acceptance.signature]}</dd>
        </div>
        <div>
          <dt>Content hash (SHA-256)</dt>
          <dd>
            <code className="quote-hash">{acceptance.contentSha256}</code>
          </dd>
        </div>
        {acceptance.userAgent ? (
          <div>
            <dt>Browser</dt>
            <dd className="quote-decision__agent">{acceptance.userAgent}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

/** Who declined, when, and why (if they said). */
export function QuoteDeclineBox({ decline }: { decline: NonNullable<TTeamQuoteDetail['decline']> }) {
  return (
    <section className="side-card quote-decision quote-decision--declined" aria-labelledby="quote-decline-title">
      <h2 className="section-title" id="quote-decline-title">
        Declined
      </h2>
      <dl className="facts">
        <div>
          <dt>By</dt>
          <dd>{decline.by}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <ZonedDateTime iso={decline.at} withZone />
          </dd>
        </div>
        <div>
          <dt>Reason</dt>
          <dd>
            {decline.reason ? <q className="quote-decision__reason">{decline.reason}</q> : <span className="muted">No reason given</span>}
          </dd>
        </div>
      </dl>
    </section>
  );
}
