import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TTeamTicketDetail } from '../../../features/tickets/team-ticket.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ZonedDateTime } from '../../shared/formatted.js';
import { fromZoned, toZoned, zoneLabel } from '../../shared/time-zone.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { EditableProperty, PropertyActions } from './editable-property.js';
import { useUpdateTicket } from './use-team-tickets.js';

/**
 * The visit: a date and a time on the ORGANISATION's clocks (the zone is written next to the
 * fields), sent as a UTC instant. A time that does not exist that day (clocks going forward) is
 * moved past the gap, and the form says so before saving.
 */
export function ScheduleEditor({ ticket }: { ticket: TTeamTicketDetail['ticket'] }) {
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
        <PropertyActions isSaving={update.isPending} onCancel={() => setIsEditing(false)}>
          {ticket.scheduledAt ? (
            <button type="button" className="button button--quiet button--small button--inline" onClick={clear}>
              Remove visit
            </button>
          ) : null}
        </PropertyActions>
      </form>
    </EditableProperty>
  );
}
