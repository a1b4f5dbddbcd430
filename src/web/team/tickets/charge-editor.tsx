import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TTeamTicketDetail } from '../../../features/tickets/team-ticket.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { Money } from '../../shared/formatted.js';
import { formatMoneyInput, parseMoneyInput } from '../lib/money-input.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { EditableProperty, PropertyActions } from './editable-property.js';
import { useUpdateTicket } from './use-team-tickets.js';

/** The charge in major units of its currency ("125.50 USD"), sent as integer minor units. */
export function ChargeEditor({ ticket }: { ticket: TTeamTicketDetail['ticket'] }) {
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
        <PropertyActions isSaving={update.isPending} onCancel={() => setIsEditing(false)} />
      </form>
    </EditableProperty>
  );
}
