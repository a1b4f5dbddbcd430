import { useState, type Ref } from 'react';
import type { TPortalQuoteDetail } from '../../../features/quotes/portal-quote.schemas.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { formatQuoteMoment, shortHash } from './quote-format.js';

type Detail = TPortalQuoteDetail;

/**
 * What was agreed, once accepted: who signed, when (on the organisation's clock), which version,
 * and the fingerprint of that version's content — short to read, whole to copy or to compare with
 * the PDF.
 */
export function AcceptanceSummary({
  acceptance,
  quote,
  headingRef,
}: {
  acceptance: NonNullable<Detail['acceptance']>;
  quote: Detail['quote'];
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(acceptance.contentSha256).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <section className="panel outcome outcome--accepted" aria-labelledby="acceptance-title">
      <h2 className="section-title outcome__title" id="acceptance-title" ref={headingRef} tabIndex={-1}>
        <span className="outcome__mark" aria-hidden="true">
          ✓
        </span>
        Accepted
      </h2>
      <dl className="outcome__facts">
        <div>
          <dt>Signed by</dt>
          <dd>{acceptance.signerName}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={acceptance.acceptedAt}>{formatQuoteMoment(acceptance.acceptedAt, quote.timeZone, quote.locale)}</time>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>Version {acceptance.version}</dd>
        </div>
        <div className="outcome__hash">
          <dt>Content fingerprint (SHA-256)</dt>
          <dd>
            <code className="outcome__hash-short" title={acceptance.contentSha256}>
              {shortHash(acceptance.contentSha256)}
            </code>
            <button type="button" className="button button--secondary button--inline button--small outcome__copy" onClick={copy}>
              Copy full fingerprint
            </button>
            <code className="outcome__hash-print">{acceptance.contentSha256}</code>
            <details className="outcome__details">
              <summary>Show the full fingerprint</summary>
              <code className="outcome__hash-full" data-testid="content-hash">
                {acceptance.contentSha256}
              </code>
            </details>
          </dd>
        </div>
      </dl>
      <p className="outcome__note">The PDF carries the same fingerprint, with the signature and the record of who accepted and when.</p>
      <LiveStatus>
        {copied === 'yes'
          ? 'The full fingerprint is copied.'
          : copied === 'no'
            ? 'Copying did not work: open “Show the full fingerprint”.'
            : ''}
      </LiveStatus>
    </section>
  );
}

/** The customer's no, and why, once declined. */
export function DeclineSummary({
  decline,
  quote,
  headingRef,
}: {
  decline: NonNullable<Detail['decline']>;
  quote: Detail['quote'];
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  return (
    <section className="panel outcome outcome--declined" aria-labelledby="decline-title">
      <h2 className="section-title outcome__title" id="decline-title" ref={headingRef} tabIndex={-1}>
        Declined
      </h2>
      <dl className="outcome__facts">
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={decline.at}>{formatQuoteMoment(decline.at, quote.timeZone, quote.locale)}</time>
          </dd>
        </div>
        <div className="outcome__reason">
          <dt>Reason</dt>
          <dd>{decline.reason ? <p className="outcome__reason-text">{decline.reason}</p> : 'No reason given.'}</dd>
        </div>
      </dl>
    </section>
  );
}
