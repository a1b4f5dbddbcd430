import type { TTeamHistoryEntry } from '../../../features/tickets/team-ticket.schemas.js';
import { formatMoney } from '../../shared/format.js';
import { RelativeTime } from '../../shared/formatted.js';
import { formatInZone } from '../../shared/time-zone.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { PRIORITY_LABELS, TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';

/** Every change to the ticket, newest first: who, what, from what to what. */
export function TicketHistory({ history, now }: { history: readonly TTeamHistoryEntry[]; now: Date }) {
  const formats = useOrganisationFormats();
  const when = (iso: string | null) => (iso ? formatInZone(iso, formats.timeZone, formats.locale) : 'none');
  const money = (value: { amount: number; currency: string } | null) =>
    value ? formatMoney(value.amount, value.currency, formats.locale) : 'none';
  const describe = (entry: TTeamHistoryEntry): string => {
    switch (entry.kind) {
      case 'created':
        return `opened the ticket as ${TEAM_STATUS_LABELS[entry.status]}`;
      case 'status_changed':
        return entry.from
          ? `changed the status from ${TEAM_STATUS_LABELS[entry.from]} to ${TEAM_STATUS_LABELS[entry.to]}`
          : `set the status to ${TEAM_STATUS_LABELS[entry.to]}`;
      case 'priority_changed':
        return entry.from
          ? `changed the priority from ${PRIORITY_LABELS[entry.from]} to ${PRIORITY_LABELS[entry.to]}`
          : `set the priority to ${PRIORITY_LABELS[entry.to]}`;
      case 'assignee_changed':
        return entry.to ? `assigned it to ${entry.to.name}` : `unassigned ${entry.from?.name ?? 'it'}`;
      case 'scheduled_changed':
        return entry.to ? `scheduled the visit for ${when(entry.to)}` : `removed the visit (was ${when(entry.from)})`;
      case 'charge_changed':
        return entry.to
          ? `set the charge to ${money(entry.to)}${entry.from ? ` (was ${money(entry.from)})` : ''}`
          : `removed the charge (was ${money(entry.from)})`;
    }
  };
  if (history.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <ol className="history">
      {[...history].reverse().map((entry) => (
        <li key={entry.id} className={`history__item history__item--${entry.kind}`}>
          <span className="history__text">
            <strong>{entry.actor.name}</strong> {describe(entry)}
          </span>
          <span className="history__time">
            <RelativeTime iso={entry.at} now={now} />
          </span>
        </li>
      ))}
    </ol>
  );
}
