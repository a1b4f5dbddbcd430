import { Link } from 'react-router';
import type { TTeamTicketRow } from '../../../features/tickets/team-ticket.schemas.js';
import { Money, RelativeTime } from '../../shared/formatted.js';
import { formatInZone } from '../../shared/time-zone.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { PriorityLabel, StatusBadge, TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';

/** What a ticket page gets from the inbox: where Back goes (the same filters). */
export interface FromInboxState {
  readonly inboxSearch: string;
  /** Opened with `r`: the reply box takes the focus. */
  readonly focusReply?: boolean;
}

/**
 * The inbox rows as a table: one link per row (the title), so Tab, screen readers and middle-click
 * work as on any page; j/k move the selection by focusing that link. Unread rows (a customer wrote
 * since you last opened it) are bold with a dot; "awaiting reply" rows say so in words.
 */
export function InboxTable({
  rows,
  selectedId,
  inboxSearch,
  now,
  isDimmed,
  onSelect,
  onIntent,
}: {
  rows: readonly TTeamTicketRow[];
  selectedId: string | null;
  inboxSearch: string;
  now: Date;
  isDimmed: boolean;
  onSelect: (id: string) => void;
  /**
   * A press on a row has begun: its ticket is fetched while the click completes. Not on hover or
   * selection, because opening a ticket marks it read and passing over it must not.
   */
  onIntent: (id: string) => void;
}) {
  const { timeZone, locale } = useOrganisationFormats();
  return (
    <table className={isDimmed ? 'inbox-table inbox-table--dimmed' : 'inbox-table'} aria-busy={isDimmed || undefined}>
      <caption className="visually-hidden">Tickets. Press question mark for keyboard shortcuts.</caption>
      <thead>
        <tr>
          <th scope="col" className="col-number">
            #
          </th>
          <th scope="col" className="col-subject">
            Ticket
          </th>
          <th scope="col" className="col-status">
            Status
          </th>
          <th scope="col" className="col-priority">
            Priority
          </th>
          <th scope="col" className="col-assignee">
            Assignee
          </th>
          <th scope="col" className="col-scheduled">
            Visit
          </th>
          <th scope="col" className="col-charge">
            Charge
          </th>
          <th scope="col" className="col-activity">
            Activity
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const isSelected = row.id === selectedId;
          const classes = ['inbox-row', row.unread ? 'inbox-row--unread' : '', isSelected ? 'inbox-row--selected' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <tr
              key={row.id}
              className={classes}
              data-ticket-id={row.id}
              onPointerDown={() => onIntent(row.id)}
              onClick={() => onSelect(row.id)}
            >
              <td className="col-number">
                {row.unread ? <span className="unread-dot" aria-hidden="true" /> : null}
                {row.number}
              </td>
              <td className="col-subject">
                <Link
                  className="inbox-row__title"
                  to={`/tickets/${encodeURIComponent(row.id)}`}
                  state={{ inboxSearch } satisfies FromInboxState}
                  onFocus={() => onSelect(row.id)}
                >
                  {row.unread ? <span className="visually-hidden">Unread: </span> : null}
                  {row.title}
                </Link>
                <span className="inbox-row__meta">
                  {row.requester ? <span className="inbox-row__requester">{row.requester.name}</span> : null}
                  {row.requester ? ' · ' : null}
                  <span>{row.client.name}</span>
                  <span className="inbox-row__compact">
                    {' · '}
                    {row.assignee ? row.assignee.name : 'Unassigned'}
                  </span>
                  {row.awaitingReply ? <span className="awaiting">Awaiting reply</span> : null}
                </span>
              </td>
              <td className="col-status">
                <StatusBadge status={row.status} labels={TEAM_STATUS_LABELS} />
              </td>
              <td className="col-priority">
                <PriorityLabel priority={row.priority} withMark />
              </td>
              <td className="col-assignee">{row.assignee ? row.assignee.name : <span className="muted">Unassigned</span>}</td>
              <td className="col-scheduled">
                {row.scheduledAt ? (
                  <time dateTime={row.scheduledAt}>{formatInZone(row.scheduledAt, timeZone, locale)}</time>
                ) : (
                  <span className="muted" aria-label="Not scheduled">
                    —
                  </span>
                )}
              </td>
              <td className="col-charge">{row.charge ? <Money amount={row.charge.amount} currency={row.charge.currency} /> : null}</td>
              <td className="col-activity">
                <RelativeTime iso={row.lastActivityAt} now={now} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
