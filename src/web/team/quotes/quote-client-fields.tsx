import { useQuery } from '@tanstack/react-query';
import { useId, type RefObject } from 'react';
import type { TTeamTicketList } from '../../../features/tickets/team-ticket.schemas.js';
import { FieldError } from '../../shared/form-controls.js';
import { ClientCombobox } from '../clients/client-combobox.js';
import { queryString, teamApi } from '../team-api.js';

/** The client's tickets, newest activity first, to hang a quote on (the first 100 are plenty to choose from). */
function useClientTickets(clientId: string) {
  return useQuery({
    queryKey: ['team-tickets', 'of-client', clientId],
    queryFn: ({ signal }) =>
      teamApi.get<TTeamTicketList>(`tickets${queryString({ clientId, status: 'all', sort: 'activity', limit: 100 })}`, signal),
    enabled: clientId !== '',
    staleTime: 30_000,
    select: (list) => list.tickets,
  });
}

/**
 * Who the quote is for: the client (searched with the clients' combobox, then shown as a chip that
 * can be cleared) and, optionally, one of its tickets. A saved quote keeps both (the API does not
 * move a quote to another client), so the editor shows them as text then.
 */
export function QuoteClientFields({
  clientId,
  clientName,
  ticketId,
  ticketText,
  isLocked,
  errors,
  clientInputRef,
  onClient,
  onTicket,
}: {
  clientId: string;
  clientName: string | null;
  ticketId: string;
  /** The saved quote's ticket as text ("#12 Boiler service"), shown when locked. */
  ticketText?: string | null;
  isLocked: boolean;
  errors: { clientId?: string | undefined; ticketId?: string | undefined };
  clientInputRef: RefObject<HTMLInputElement | null>;
  onClient: (client: { id: string; name: string } | null) => void;
  onTicket: (ticketId: string) => void;
}) {
  const id = useId();
  const tickets = useClientTickets(isLocked ? '' : clientId);
  const options = tickets.data ?? [];
  const hasChosenTicket = ticketId === '' || options.some((ticket) => ticket.id === ticketId);

  if (isLocked) {
    return (
      <dl className="facts facts--columns quote-form__for">
        <div>
          <dt>Client</dt>
          <dd>{clientName ?? '…'}</dd>
        </div>
        <div>
          <dt>Ticket</dt>
          <dd>{ticketText ?? 'None'}</dd>
        </div>
      </dl>
    );
  }
  return (
    <div className="quote-form__for">
      {clientId ? (
        <div className="field">
          <span className="field__label">Client</span>
          <p className="chip chip--field">
            {clientName ?? 'Loading…'}
            <button
              type="button"
              className="chip__remove"
              aria-label="Choose another client"
              onClick={() => {
                onClient(null);
                window.requestAnimationFrame(() => clientInputRef.current?.focus());
              }}
            >
              <span aria-hidden="true">×</span>
            </button>
          </p>
          <FieldError id={`${id}-client-error`} message={errors.clientId} />
        </div>
      ) : (
        <ClientCombobox
          label="Client"
          hint="Type a client's name, or a contact's name or email."
          inputRef={clientInputRef}
          error={errors.clientId}
          onChoose={(client) => onClient({ id: client.id, name: client.name })}
        />
      )}
      <div className={errors.ticketId ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor={`${id}-ticket`}>
          Ticket <span className="muted">(optional)</span>
        </label>
        <select
          id={`${id}-ticket`}
          className="field__input field__input--select"
          value={ticketId}
          disabled={!clientId}
          aria-invalid={errors.ticketId ? true : undefined}
          aria-describedby={errors.ticketId ? `${id}-ticket-error` : undefined}
          onChange={(event) => onTicket(event.target.value)}
        >
          <option value="">{clientId ? 'No ticket' : 'Choose the client first'}</option>
          {options.map((ticket) => (
            <option key={ticket.id} value={ticket.id}>
              #{ticket.number} {ticket.title}
            </option>
          ))}
          {hasChosenTicket || tickets.isPending ? null : <option value={ticketId}>The ticket you came from</option>}
        </select>
        <FieldError id={`${id}-ticket-error`} message={errors.ticketId} />
      </div>
    </div>
  );
}
