import type { TicketPriority, TicketStatus } from '../../features/tickets/ticket.schemas.js';

/** Status names as the team reads them. */
export const TEAM_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  new: 'New',
  open: 'Open',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on customer',
  closed: 'Closed',
};

/** Status names as a customer reads them ("waiting on customer" is addressed to them). */
export const CUSTOMER_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  ...TEAM_STATUS_LABELS,
  waiting_on_customer: 'Waiting on you',
};

export const PRIORITY_LABELS: Readonly<Record<TicketPriority, string>> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

/** A status as a badge, in the reader's words: the word carries the meaning; colour and the dot only help scanning. */
export function StatusBadge({ status, labels }: { status: TicketStatus; labels: Readonly<Record<TicketStatus, string>> }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}

/**
 * Priority in words; high and urgent are also set apart (urgent in red), never by colour alone.
 * The team's inbox adds a mark (`!`, `!!`) to scan a long list by.
 */
export function PriorityLabel({ priority, withMark = false }: { priority: TicketPriority; withMark?: boolean }) {
  return (
    <span className={`priority priority--${priority}`}>
      {withMark && (priority === 'urgent' || priority === 'high') ? (
        <span className="priority__mark" aria-hidden="true">
          {priority === 'urgent' ? '!!' : '!'}
        </span>
      ) : null}
      {PRIORITY_LABELS[priority]}
    </span>
  );
}
