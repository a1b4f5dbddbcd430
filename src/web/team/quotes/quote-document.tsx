import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { QuoteTotals } from './quote-totals.js';
import { useQuoteFormat } from './use-quote-format.js';

type Quote = TTeamQuoteDetail['quote'];

/** The quote's content as the customer sees it in the portal and the PDF: lines, totals, terms. */
export function QuoteDocument({ quote }: { quote: Quote }) {
  const format = useQuoteFormat();
  const currency = quote.totals.currency;
  const money = (minor: number) => format.money(minor, currency);
  const discountLabel = quote.discount?.kind === 'percent' ? `Discount (${format.decimal(quote.discount.percent)} %)` : 'Discount';
  return (
    <section className="card quote-document" aria-labelledby="quote-lines-title">
      <h2 className="card__heading" id="quote-lines-title">
        Lines
      </h2>
      <table className="quote-document__lines">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="quote-document__num">
              Qty
            </th>
            <th scope="col" className="quote-document__num">
              Unit price
            </th>
            <th scope="col" className="quote-document__num">
              Tax
            </th>
            <th scope="col" className="quote-document__num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line, index) => (
            <tr key={index}>
              <td className="quote-document__description">{line.description}</td>
              <td className="quote-document__num" data-label="Qty">
                {format.decimal(line.quantity)}
              </td>
              <td className="quote-document__num" data-label="Unit price">
                {money(line.unitPrice)}
              </td>
              <td className="quote-document__num" data-label="Tax">
                {line.taxRatePercent === null ? '—' : `${format.decimal(line.taxRatePercent)} %`}
              </td>
              <td className="quote-document__num quote-document__amount" data-label="Amount">
                {money(line.net)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="quote-document__totals">
        <QuoteTotals
          subtotal={quote.totals.subtotal}
          discount={quote.totals.discount}
          tax={quote.totals.tax}
          total={quote.totals.total}
          money={money}
          discountLabel={discountLabel}
        />
      </div>
      <h2 className="card__heading quote-document__terms-title">Terms</h2>
      {quote.terms.trim() ? <p className="quote-document__terms">{quote.terms}</p> : <p className="muted">No terms.</p>}
    </section>
  );
}
