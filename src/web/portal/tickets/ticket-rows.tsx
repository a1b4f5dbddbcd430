import { Link } from 'react-router';
import type { TPortalTicketSummary } from '../../../features/tickets/portal-ticket.schemas.js';
import { Money, RelativeTime, ScheduledDate } from '../../shared/formatted.js';
import { CUSTOMER_STATUS_LABELS, PriorityLabel, StatusBadge } from '../../shared/ticket-labels.js';

/** Where the ticket page's "back" link returns to: the list with the filters it was opened from. */
export interface FromListState {
  readonly listSearch: string;
}

/**
 * The list of tickets: cards on a phone, a table-like grid from 48rem up. Each row is one link
 * (the number and title, so its name is short) stretched over the whole row, so the row is one
 * big target; the other cells carry hidden labels so they make sense without the column heads.
 */
export function TicketRows({ tickets, now, listSearch }: { tickets: readonly TPortalTicketSummary[]; now: Date; listSearch: string }) {
  return (
    <div className="ticket-table">
      <div className="ticket-table__head" aria-hidden="true">
        <span>Request</span>
        <span>Status</span>
        <span>Priority</span>
        <span>Scheduled</span>
        <span className="ticket-table__num">Charge</span>
        <span className="ticket-table__num">Last activity</span>
      </div>
      <ul className="ticket-table__rows">
        {tickets.map((ticket) => (
          <TicketRow key={ticket.id} ticket={ticket} now={now} listSearch={listSearch} />
        ))}
      </ul>
    </div>
  );
}

function TicketRow({ ticket, now, listSearch }: { ticket: TPortalTicketSummary; now: Date; listSearch: string }) {
  const state: FromListState = { listSearch };
  return (
    <li className="ticket-row">
      <div className="ticket-row__main">
        <Link className="ticket-row__link" to={`/tickets/${encodeURIComponent(ticket.id)}`} state={state}>
          <span className="ticket-row__number">#{ticket.number}</span> <span className="ticket-row__title">{ticket.title}</span>
        </Link>
      </div>
      <div className="ticket-row__status">
        <span className="visually-hidden">Status: </span>
        <StatusBadge status={ticket.status} labels={CUSTOMER_STATUS_LABELS} />
      </div>
      <div className="ticket-row__cell ticket-row__priority">
        <span className="ticket-row__label">Priority </span>
        <PriorityLabel priority={ticket.priority} />
      </div>
      <div className="ticket-row__cell ticket-row__scheduled">
        <span className="ticket-row__label">Scheduled </span>
        {ticket.scheduledAt ? <ScheduledDate iso={ticket.scheduledAt} /> : <Nothing label="Not scheduled" />}
      </div>
      <div className="ticket-row__cell ticket-row__charge ticket-table__num">
        <span className="ticket-row__label">Charge </span>
        {ticket.charge ? (
          <Money amount={ticket.charge.amount} currency={ticket.charge.currency} />
        ) : (
          <span className="ticket-row__none">—</span>
        )}
      </div>
      <div className="ticket-row__cell ticket-row__activity">
        <span className="ticket-row__label">Updated </span>
        <RelativeTime iso={ticket.lastActivityAt} now={now} />
      </div>
    </li>
  );
}

/** An empty cell: a dash to the eye, words to a screen reader. */
function Nothing({ label }: { label: string }) {
  return (
    <span className="ticket-row__none">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** Grey rows in the shape of the real ones while the first page loads. */
export function TicketRowsSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="ticket-table" aria-hidden="true">
      <ul className="ticket-table__rows">
        {Array.from({ length: rows }, (_, index) => (
          <li className="ticket-row ticket-row--skeleton" key={index}>
            <div className="ticket-row__main">
              <span className={`skeleton skeleton--title skeleton--w${index % 3}`} />
            </div>
            <div className="ticket-row__status">
              <span className="skeleton skeleton--badge" />
            </div>
            {['priority', 'scheduled', 'charge', 'activity'].map((cell) => (
              <div key={cell} className={`ticket-row__cell ticket-row__${cell}`}>
                <span className="skeleton skeleton--text" />
              </div>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
