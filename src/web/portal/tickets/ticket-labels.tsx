import type { TPortalTicketDetail, TPortalTicketSummary } from '../../../features/tickets/portal-ticket.schemas.js';

export type TicketStatus = TPortalTicketSummary['status'];
export type TicketPriority = TPortalTicketSummary['priority'];
export type HistoryEntry = TPortalTicketDetail['history'][number];

/** Status names as a customer reads them ("waiting on customer" is addressed to them). */
export const STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  new: 'New',
  open: 'Open',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on you',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Readonly<Record<TicketPriority, string>> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

/** A status as a badge: the word carries the meaning; colour and the dot only help scanning. */
export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}

/** Priority in words; high and urgent are also set in bold (urgent in red), never colour alone. */
export function PriorityLabel({ priority }: { priority: TicketPriority }) {
  return <span className={`priority priority--${priority}`}>{PRIORITY_LABELS[priority]}</span>;
}
