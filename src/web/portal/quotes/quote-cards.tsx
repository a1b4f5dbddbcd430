import { Link } from 'react-router';
import type { TPortalQuoteSummary } from '../../../features/quotes/portal-quote.schemas.js';
import { formatQuoteMoney, validUntilText } from './quote-format.js';
import { QuoteStatusBadge } from './quote-status.js';

/**
 * The quotes as cards: number and title (one link stretched over the card, so the whole card is a
 * target with a short name), status, total, validity and the request it belongs to (its own link,
 * above the stretched one).
 */
export function QuoteCards({ quotes, locale }: { quotes: readonly TPortalQuoteSummary[]; locale: string }) {
  return (
    <ul className="quote-cards">
      {quotes.map((quote) => (
        <li key={quote.id} className="quote-card">
          <h2 className="quote-card__heading">
            <Link className="quote-card__link" to={`/quotes/${encodeURIComponent(quote.id)}`}>
              <span className="quote-card__number">{quote.number}</span> <span className="quote-card__title">{quote.title}</span>
            </Link>
          </h2>
          <div className="quote-card__status">
            <span className="visually-hidden">Status: </span>
            <QuoteStatusBadge status={quote.status} />
          </div>
          <p className="quote-card__total">
            <span className="visually-hidden">Total: </span>
            {formatQuoteMoney(quote.total.amount, quote.total.currency, locale)}
          </p>
          <p className="quote-card__valid">{validUntilText(quote.validUntil, locale)}</p>
          {quote.ticket ? (
            <p className="quote-card__ticket">
              <span className="quote-card__label">For request </span>
              <Link className="quote-card__ticket-link" to={`/tickets/${encodeURIComponent(quote.ticket.id)}`}>
                #{quote.ticket.number} {quote.ticket.title}
              </Link>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Grey cards in the shape of the real ones while the list loads. */
export function QuoteCardsSkeleton({ count = 3 }: { count?: number }) {
  return (
    <ul className="quote-cards" aria-hidden="true">
      {Array.from({ length: count }, (_, index) => (
        <li key={index} className="quote-card quote-card--skeleton">
          <span className={`skeleton skeleton--title skeleton--w${index % 3}`} />
          <span className="skeleton skeleton--badge" />
          <span className="skeleton skeleton--text" />
        </li>
      ))}
    </ul>
  );
}
