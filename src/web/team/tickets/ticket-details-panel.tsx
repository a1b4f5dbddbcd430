import { useId, useState } from 'react';
import type { TTeamMember } from '../../../features/team/team.schemas.js';
import type { TTeamTicketDetail, TUpdateTeamTicketRequest } from '../../../features/tickets/team-ticket.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { PRIORITIES, STATUSES } from '../inbox/inbox-filters.js';
import { ChargeEditor } from './charge-editor.js';
import { ScheduleEditor } from './schedule-editor.js';
import { PRIORITY_LABELS, TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';
import { useUpdateTicket } from './use-team-tickets.js';

type Ticket = TTeamTicketDetail['ticket'];

/**
 * The ticket's properties beside the conversation. Status, priority and assignee save as soon as
 * they are chosen (one change, one history entry); the visit time and the charge are edited and
 * saved on purpose, because a half-typed date or amount must never reach the customer's portal.
 */
export function TicketDetailsPanel({
  ticket,
  members,
  children,
}: {
  ticket: Ticket;
  members: readonly TTeamMember[];
  children?: React.ReactNode;
}) {
  const update = useUpdateTicket(ticket.id);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = (change: TUpdateTeamTicketRequest, done: string) => {
    setError(null);
    update.mutate(change, {
      onSuccess: () => setAnnouncement(done),
      onError: (failure) => setError(messageOf(failure)),
    });
  };
  const assignable = members.filter((m) => m.status === 'active');
  return (
    <section className="side-card" aria-labelledby="details-title">
      <h2 className="section-title" id="details-title">
        Details
      </h2>
      <div className="details-grid">
        <InlineSelect
          label="Status"
          value={ticket.status}
          onChange={(status) => save({ status: status as Ticket['status'] }, `Status: ${TEAM_STATUS_LABELS[status as Ticket['status']]}.`)}
        >
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {TEAM_STATUS_LABELS[status]}
            </option>
          ))}
        </InlineSelect>
        <InlineSelect
          label="Priority"
          value={ticket.priority}
          onChange={(priority) =>
            save({ priority: priority as Ticket['priority'] }, `Priority: ${PRIORITY_LABELS[priority as Ticket['priority']]}.`)
          }
        >
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_LABELS[priority]}
            </option>
          ))}
        </InlineSelect>
        <InlineSelect
          label="Assignee"
          value={ticket.assignee?.id ?? ''}
          onChange={(assigneeId) =>
            save(
              { assigneeId: assigneeId || null },
              assigneeId ? `Assigned to ${assignable.find((m) => m.id === assigneeId)?.name ?? 'them'}.` : 'Unassigned.',
            )
          }
        >
          <option value="">Unassigned</option>
          {assignable.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
          {ticket.assignee && !assignable.some((m) => m.id === ticket.assignee?.id) ? (
            <option value={ticket.assignee.id}>{ticket.assignee.name}</option>
          ) : null}
        </InlineSelect>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="details-properties">
        <ScheduleEditor ticket={ticket} />
        <ChargeEditor ticket={ticket} />
      </div>
      {children}
      <LiveStatus>{update.isPending ? 'Saving…' : announcement}</LiveStatus>
    </section>
  );
}

function InlineSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="inline-field">
      <label className="inline-field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="field__input field__input--select" value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}
