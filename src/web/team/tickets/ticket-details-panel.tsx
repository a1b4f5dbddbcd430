import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TTeamMember } from '../../../features/team/team.schemas.js';
import type { TTeamTicketDetail, TUpdateTeamTicketRequest } from '../../../features/team-tickets/team-ticket.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { Money, ZonedDateTime } from '../formatted.js';
import { formatMoneyInput, parseMoneyInput } from '../lib/money-input.js';
import { fromZoned, toZoned, zoneLabel } from '../lib/time-zone.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { PRIORITIES, STATUSES } from '../inbox/inbox-filters.js';
import { PRIORITY_LABELS, STATUS_LABELS } from './ticket-labels.js';
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
          onChange={(status) => save({ status: status as Ticket['status'] }, `Status: ${STATUS_LABELS[status as Ticket['status']]}.`)}
        >
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
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

/** A property shown as a value with "Edit"; editing opens a small form in place. */
function EditableProperty({
  label,
  value,
  isEditing,
  onEdit,
  children,
}: {
  label: string;
  value: React.ReactNode;
  isEditing: boolean;
  onEdit: () => void;
  children: React.ReactNode;
}) {
  return (
    <div className="property">
      <div className="property__head">
        <h3 className="property__label">{label}</h3>
        {isEditing ? null : (
          <button type="button" className="button button--quiet button--small button--inline" onClick={onEdit}>
            Edit<span className="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        )}
      </div>
      {isEditing ? children : <div className="property__value">{value}</div>}
    </div>
  );
}

/**
 * The visit: a date and a time on the ORGANISATION's clocks (the zone is written next to the
 * fields), sent as a UTC instant. A time that does not exist that day (clocks going forward) is
 * moved past the gap, and the form says so before saving.
 */
function ScheduleEditor({ ticket }: { ticket: Ticket }) {
  const { timeZone } = useOrganisationFormats();
  const update = useUpdateTicket(ticket.id);
  const id = useId();
  const [isEditing, setIsEditing] = useState(false);
  const initial = ticket.scheduledAt ? toZoned(ticket.scheduledAt, timeZone) : { date: '', time: '09:00' };
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (isEditing) document.getElementById(`${id}-date`)?.focus();
  }, [isEditing, id]);
  const parsed = date ? fromZoned({ date, time }, timeZone) : null;
  const label = zoneLabel(timeZone, parsed?.ok ? new Date(parsed.iso) : new Date());

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!parsed) return setError('Choose a date, or remove the visit.');
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    update.mutate({ scheduledAt: parsed.iso }, { onSuccess: () => setIsEditing(false), onError: (e) => setError(messageOf(e)) });
  };
  const clear = () =>
    update.mutate({ scheduledAt: null }, { onSuccess: () => setIsEditing(false), onError: (e) => setError(messageOf(e)) });
  const startEditing = () => {
    const current = ticket.scheduledAt ? toZoned(ticket.scheduledAt, timeZone) : { date: '', time: '09:00' };
    setDate(current.date);
    setTime(current.time);
    setError(null);
    setIsEditing(true);
  };

  return (
    <EditableProperty
      label="Scheduled visit"
      isEditing={isEditing}
      onEdit={startEditing}
      value={ticket.scheduledAt ? <ZonedDateTime iso={ticket.scheduledAt} withZone /> : <span className="muted">Not scheduled</span>}
    >
      <form className="property__form" noValidate onSubmit={onSubmit}>
        <div className="property__row">
          <div className="field">
            <label className="field__label" htmlFor={`${id}-date`}>
              Date
            </label>
            <input
              id={`${id}-date`}
              className="field__input"
              type="date"
              value={date}
              onChange={(event) => setDate(event.target.value)}
              aria-describedby={`${id}-zone`}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-time`}>
              Time
            </label>
            <input
              id={`${id}-time`}
              className="field__input"
              type="time"
              step={300}
              value={time}
              onChange={(event) => setTime(event.target.value)}
              aria-describedby={`${id}-zone`}
            />
          </div>
        </div>
        <p className="field__hint" id={`${id}-zone`}>
          Time zone: {label} — the organisation&rsquo;s, whatever this computer&rsquo;s is.
          {parsed?.ok && parsed.shifted
            ? ` That time is skipped when clocks go forward; it will be ${toZoned(parsed.iso, timeZone).time}.`
            : ''}
        </p>
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="property__actions">
          <button
            type="submit"
            className="button button--primary button--small button--inline"
            aria-disabled={update.isPending || undefined}
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button button--secondary button--small button--inline" onClick={() => setIsEditing(false)}>
            Cancel
          </button>
          {ticket.scheduledAt ? (
            <button type="button" className="button button--quiet button--small button--inline" onClick={clear}>
              Remove visit
            </button>
          ) : null}
        </div>
      </form>
    </EditableProperty>
  );
}

/** The charge in major units of its currency ("125.50 USD"), sent as integer minor units. */
function ChargeEditor({ ticket }: { ticket: Ticket }) {
  const formats = useOrganisationFormats();
  const update = useUpdateTicket(ticket.id);
  const id = useId();
  const currency = ticket.charge?.currency ?? formats.currency;
  const [isEditing, setIsEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (isEditing) document.getElementById(`${id}-amount`)?.focus();
  }, [isEditing, id]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseMoneyInput(text, currency, formats.locale);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    update.mutate(
      { charge: parsed.minor === null ? null : { amount: parsed.minor, currency } },
      {
        onSuccess: () => setIsEditing(false),
        onError: (failure) => setError(failure instanceof ApiError ? failure.message : messageOf(failure)),
      },
    );
  };
  return (
    <EditableProperty
      label="Charge"
      isEditing={isEditing}
      onEdit={() => {
        setText(ticket.charge ? formatMoneyInput(ticket.charge.amount, ticket.charge.currency, formats.locale) : '');
        setError(null);
        setIsEditing(true);
      }}
      value={
        ticket.charge ? <Money amount={ticket.charge.amount} currency={ticket.charge.currency} /> : <span className="muted">No charge</span>
      }
    >
      <form className="property__form" noValidate onSubmit={onSubmit}>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-amount`}>
            Amount in {currency}
          </label>
          <div className="money-input">
            <input
              id={`${id}-amount`}
              className="field__input"
              inputMode="decimal"
              autoComplete="off"
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
              aria-invalid={error ? true : undefined}
            />
            <span className="money-input__currency" aria-hidden="true">
              {currency}
            </span>
          </div>
          <p className="field__hint" id={`${id}-hint`}>
            The customer sees it on the ticket. Leave empty for no charge.
          </p>
          {error ? (
            <p className="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="property__actions">
          <button
            type="submit"
            className="button button--primary button--small button--inline"
            aria-disabled={update.isPending || undefined}
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button button--secondary button--small button--inline" onClick={() => setIsEditing(false)}>
            Cancel
          </button>
        </div>
      </form>
    </EditableProperty>
  );
}
