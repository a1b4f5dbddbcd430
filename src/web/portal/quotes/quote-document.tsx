import type { TPortalQuoteDetail } from '../../../features/quotes/portal-quote.schemas.js';
import { BrandLogo } from '../../shared/brand-logo.js';
import { usePortal } from '../portal-context.js';
import { dayIn, formatPercent, formatQuantity, formatQuoteDate, formatQuoteMoney } from './quote-format.js';

type Quote = TPortalQuoteDetail['quote'];

/**
 * The quote as a document: the organisation's letterhead, the lines (a table on wide screens, a
 * card per line on a phone), the totals and the terms. It is also what a print shows.
 */
export function QuoteDocument({ quote }: { quote: Quote }) {
  const portal = usePortal();
  const money = (amount: number) => formatQuoteMoney(amount, quote.totals.currency, quote.locale);
  return (
    <article className="panel quote-doc" aria-labelledby="quote-doc-title">
      <header className="quote-doc__letterhead">
        <div className="quote-doc__org">
          {portal.logoUrl ? <BrandLogo className="quote-doc__logo" src={portal.logoUrl} /> : null}
          <span className="quote-doc__org-name">{portal.name}</span>
        </div>
        <div className="quote-doc__ident">
          <h2 className="quote-doc__title" id="quote-doc-title">
            Quote {quote.number}
          </h2>
          <p className="quote-doc__version">Version {quote.version}</p>
        </div>
      </header>
      <dl className="quote-doc__meta">
        <div>
          <dt>Prepared for</dt>
          <dd>{quote.clientName}</dd>
        </div>
        {quote.sentAt ? (
          <div>
            <dt>Sent</dt>
            <dd>{formatQuoteDate(dayIn(quote.sentAt, quote.timeZone), quote.locale)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Valid until</dt>
          <dd>{quote.validUntil ? formatQuoteDate(quote.validUntil, quote.locale) : 'No end date'}</dd>
        </div>
      </dl>
      <p className="quote-doc__subject">{quote.title}</p>

      <table className="quote-lines">
        <caption className="visually-hidden">Lines of quote {quote.number}</caption>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="quote-lines__num">
              Quantity
            </th>
            <th scope="col" className="quote-lines__num">
              Unit price
            </th>
            <th scope="col" className="quote-lines__num">
              Tax
            </th>
            <th scope="col" className="quote-lines__num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line, index) => (
            <tr key={index} className="quote-line">
              <td className="quote-line__description">{line.description}</td>
              <td className="quote-lines__num quote-line__quantity" data-label="Quantity">
                {formatQuantity(line.quantity, quote.locale)}
              </td>
              <td className="quote-lines__num quote-line__price" data-label="Unit price">
                {money(line.unitPrice)}
              </td>
              <td className="quote-lines__num quote-line__tax" data-label="Tax">
                {line.taxRatePercent === null ? <NoTax /> : formatPercent(line.taxRatePercent, quote.locale)}
              </td>
              <td className="quote-lines__num quote-line__amount" data-label="Amount">
                {money(line.net)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <dl className="quote-totals">
        <div className="quote-totals__row">
          <dt>Subtotal</dt>
          <dd>{money(quote.totals.subtotal)}</dd>
        </div>
        {quote.totals.discount > 0 ? (
          <div className="quote-totals__row">
            <dt>Discount{quote.discount?.kind === 'percent' ? ` (${formatPercent(quote.discount.percent, quote.locale)})` : ''}</dt>
            <dd>{money(-quote.totals.discount)}</dd>
          </div>
        ) : null}
        <div className="quote-totals__row">
          <dt>Tax</dt>
          <dd>{money(quote.totals.tax)}</dd>
        </div>
        <div className="quote-totals__row quote-totals__row--total">
          <dt>Total</dt>
          <dd>{money(quote.totals.total)}</dd>
        </div>
      </dl>

      <section className="quote-terms" aria-labelledby="quote-terms-title">
        <h3 className="quote-terms__title" id="quote-terms-title">
          Terms
        </h3>
        {quote.terms.trim() ? <p className="quote-terms__text">{quote.terms}</p> : <p className="quote-terms__text">No special terms.</p>}
      </section>
    </article>
  );
}

function NoTax() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">No tax</span>
    </>
  );
}
