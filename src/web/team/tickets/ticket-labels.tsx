import type { TTeamTicketPriority, TTeamTicketStatus } from '../../../features/tickets/team-ticket.schemas.js';

/** Status names as the team reads them (the portal says "Waiting on you" to the customer). */
export const STATUS_LABELS: Readonly<Record<TTeamTicketStatus, string>> = {
  new: 'New',
  open: 'Open',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on customer',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Readonly<Record<TTeamTicketPriority, string>> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

/** A status as a badge: the word carries the meaning; the colour and the dot only help scanning. */
export function StatusBadge({ status }: { status: TTeamTicketStatus }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}

/** Priority in words; high and urgent also get a mark (urgent in red), never colour alone. */
export function PriorityLabel({ priority }: { priority: TTeamTicketPriority }) {
  return (
    <span className={`priority priority--${priority}`}>
      {priority === 'urgent' || priority === 'high' ? (
        <span className="priority__mark" aria-hidden="true">
          {priority === 'urgent' ? '!!' : '!'}
        </span>
      ) : null}
      {PRIORITY_LABELS[priority]}
    </span>
  );
}
