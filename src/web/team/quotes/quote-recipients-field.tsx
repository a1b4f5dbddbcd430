import type { TTeamContact } from '../../../features/clients/team-client.schemas.js';
import { FieldError } from '../../shared/form-controls.js';

/**
 * Who gets the quote by email: the client's active contacts as checkboxes. None checked means all
 * of them (the server's rule), which the hint says in words.
 */
export function QuoteRecipientsField({
  contacts,
  chosen,
  error,
  isLoading,
  onChange,
}: {
  contacts: readonly TTeamContact[];
  chosen: readonly string[];
  error: string | undefined;
  isLoading: boolean;
  onChange: (ids: string[]) => void;
}) {
  const active = contacts.filter((contact) => contact.status === 'active');
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((c) => c !== id));
  return (
    <fieldset className={error ? 'quote-recipients field--invalid' : 'quote-recipients'} aria-describedby="quote-recipients-hint">
      <legend className="field__label">Recipients</legend>
      <p className="field__hint" id="quote-recipients-hint">
        {isLoading
          ? 'Loading the client’s contacts…'
          : active.length === 0
            ? 'This client has no active contact yet: add one on the client’s page before sending.'
            : chosen.length === 0
              ? 'None chosen: every active contact of the client gets it.'
              : `${chosen.length} of ${active.length} contacts get it.`}
      </p>
      {active.length > 0 ? (
        <div className="choice">
          {active.map((contact) => (
            <label key={contact.id} className="choice__option">
              <input type="checkbox" checked={chosen.includes(contact.id)} onChange={(event) => toggle(contact.id, event.target.checked)} />
              <span>
                {contact.name} <span className="muted">{contact.email}</span>
              </span>
            </label>
          ))}
        </div>
      ) : null}
      <FieldError id="quote-recipients-error" message={error} />
    </fieldset>
  );
}
