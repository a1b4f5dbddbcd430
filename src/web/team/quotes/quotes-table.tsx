import { Link } from 'react-router';
import type { TTeamQuoteRow } from '../../../features/quotes/team-quote.schemas.js';
import { QuoteStatusBadge } from './quote-labels.js';
import { useQuoteFormat } from './use-quote-format.js';

/**
 * Quotes as a table: one link per row (the title), so Tab and screen readers move row by row. On a
 * phone the rows become stacked cards (quotes.css) with the same cells. Beside a client or a
 * ticket the column that would repeat it is left out.
 */
export function QuotesTable({
  rows,
  caption,
  hideClient = false,
  hideTicket = false,
  isDimmed = false,
}: {
  rows: readonly TTeamQuoteRow[];
  caption: string;
  hideClient?: boolean;
  hideTicket?: boolean;
  isDimmed?: boolean;
}) {
  const format = useQuoteFormat();
  return (
    <table className={isDimmed ? 'quotes-table quotes-table--dimmed' : 'quotes-table'} aria-busy={isDimmed || undefined}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="quotes-col-number">
            Number
          </th>
          <th scope="col" className="quotes-col-title">
            Title
          </th>
          {hideClient ? null : (
            <th scope="col" className="quotes-col-client">
              Client
            </th>
          )}
          {hideTicket ? null : (
            <th scope="col" className="quotes-col-ticket">
              Ticket
            </th>
          )}
          <th scope="col" className="quotes-col-status">
            Status
          </th>
          <th scope="col" className="quotes-col-total">
            Total
          </th>
          <th scope="col" className="quotes-col-valid">
            Valid until
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="quotes-row" data-quote-id={row.id}>
            <td className="quotes-col-number">
              {row.number}
              {row.version > 1 ? <span className="quotes-row__version"> v{row.version}</span> : null}
            </td>
            <td className="quotes-col-title">
              <Link className="quotes-row__title" to={`/quotes/${encodeURIComponent(row.id)}`}>
                {/* The number column is left out on a phone; the number joins the title there. */}
                <span className="quotes-row__number">{row.number} </span>
                {row.title}
              </Link>
            </td>
            {hideClient ? null : (
              <td className="quotes-col-client">
                <Link className="quotes-row__client" to={`/clients/${encodeURIComponent(row.client.id)}`}>
                  {row.client.name}
                </Link>
              </td>
            )}
            {hideTicket ? null : (
              <td className={row.ticket ? 'quotes-col-ticket' : 'quotes-col-ticket quotes-col-ticket--none'}>
                {row.ticket ? (
                  <Link to={`/tickets/${encodeURIComponent(row.ticket.id)}`} title={row.ticket.title}>
                    #{row.ticket.number}
                    <span className="visually-hidden"> {row.ticket.title}</span>
                  </Link>
                ) : (
                  <span className="muted" aria-label="No ticket">
                    —
                  </span>
                )}
              </td>
            )}
            <td className="quotes-col-status">
              <QuoteStatusBadge status={row.status} />
            </td>
            <td className="quotes-col-total">
              <span className="money">{format.money(row.total.amount, row.total.currency)}</span>
            </td>
            <td className="quotes-col-valid">
              {row.validUntil ? (
                <time dateTime={row.validUntil}>
                  <span className="quotes-row__label">Valid until </span>
                  {format.date(row.validUntil)}
                </time>
              ) : (
                <span className="muted" aria-label="No end date">
                  —
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
