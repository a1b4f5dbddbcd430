import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TTeamClientDetail } from '../../../features/clients/team-client.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { RelatedQuotes } from '../quotes/related-quotes.js';
import { ContactForm } from './contact-form.js';
import { ContactRow } from './contact-row.js';
import { useClient, useUpdateClient } from './use-clients.js';
import { VISIBILITY_LABELS } from './visibility.js';

/** `/app/clients/:id`: a client, what its contacts see in the portal, and its contacts. */
export function ClientPage() {
  const { id = '' } = useParams();
  const client = useClient(id);
  if (client.data) return <ClientView key={id} detail={client.data} />;
  if (client.isError) {
    if (client.error instanceof ApiError && client.error.status === 404) {
      return (
        <MessageCard
          id="client-missing-title"
          pageTitle="Client not found"
          title="Client not found"
          text="This client does not exist in this organisation."
          actions={
            <Link className="button button--primary button--inline" to="/clients">
              All clients
            </Link>
          }
        />
      );
    }
    return <LoadErrorCard message={messageOf(client.error)} isRetrying={client.isFetching} onRetry={() => void client.refetch()} />;
  }
  return (
    <div className="page" aria-busy="true">
      <span className="skeleton skeleton--heading" />
      <LiveStatus>Loading the client…</LiveStatus>
    </div>
  );
}

function ClientView({ detail }: { detail: TTeamClientDetail }) {
  const { client, contacts } = detail;
  usePageTitle(client.name);
  const update = useUpdateClient(client.id);
  const [isRenaming, setIsRenaming] = useState(false);
  const [name, setName] = useState(client.name);
  const [isAdding, setIsAdding] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  return (
    <div className="page page--client">
      <Link className="back-link" to="/clients">
        <span aria-hidden="true">←</span> Clients
      </Link>
      <div className="page-head">
        {isRenaming ? (
          <form
            className="rename"
            onSubmit={(event) => {
              event.preventDefault();
              if (!name.trim()) return;
              update.mutate({ name: name.trim() }, { onSuccess: () => setIsRenaming(false) });
            }}
          >
            <label className="visually-hidden" htmlFor="client-name">
              Client name
            </label>
            <input
              id="client-name"
              className="field__input rename__input"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              autoFocus
            />
            <button type="submit" className="button button--primary button--inline">
              Save
            </button>
            <button type="button" className="button button--secondary button--inline" onClick={() => setIsRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <PageHeading>{client.name}</PageHeading>
            <button
              type="button"
              className="button button--quiet button--small button--inline"
              onClick={() => {
                setName(client.name);
                setIsRenaming(true);
              }}
            >
              Rename<span className="visually-hidden"> {client.name}</span>
            </button>
          </>
        )}
        <div className="page-head__actions">
          <Link
            className="button button--secondary button--inline"
            to={{ pathname: '/', search: `?status=all&client=${encodeURIComponent(client.id)}` }}
          >
            Tickets
          </Link>
          <Link className="button button--primary button--inline" to={`/tickets/new?client=${encodeURIComponent(client.id)}`}>
            New ticket
          </Link>
        </div>
      </div>
      {update.isError ? (
        <p className="notice notice--error" role="alert">
          {messageOf(update.error)}
        </p>
      ) : null}

      <section className="card" aria-labelledby="visibility-title">
        <h2 className="card__heading" id="visibility-title">
          In the portal, each contact sees
        </h2>
        <div className="choice choice--row" role="radiogroup" aria-labelledby="visibility-title">
          {(['all', 'own'] as const).map((value) => (
            <label key={value} className="choice__option">
              <input
                type="radio"
                name="visibility"
                checked={client.ticketVisibility === value}
                onChange={() =>
                  update.mutate(
                    { ticketVisibility: value },
                    { onSuccess: () => setAnnouncement(`Contacts now see ${VISIBILITY_LABELS[value].toLowerCase()}.`) },
                  )
                }
              />
              {VISIBILITY_LABELS[value]}
            </label>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="contacts-title">
        <div className="card__head">
          <h2 className="card__heading" id="contacts-title">
            Contacts
          </h2>
          {isAdding ? null : (
            <button type="button" className="button button--secondary button--small button--inline" onClick={() => setIsAdding(true)}>
              Add contact
            </button>
          )}
        </div>
        {isAdding ? (
          <ContactForm
            clientId={client.id}
            contact={null}
            onDone={(saved) => {
              setIsAdding(false);
              if (saved) setAnnouncement(`${saved.name} was added.`);
            }}
          />
        ) : null}
        {contacts.length === 0 ? (
          <p className="muted">No contacts yet. Add the people who ask for work; they sign in to the portal with their email.</p>
        ) : (
          <ul className="contact-list">
            {contacts.map((contact) => (
              <ContactRow key={contact.id} clientId={client.id} contact={contact} onAnnounce={setAnnouncement} />
            ))}
          </ul>
        )}
      </section>
      <RelatedQuotes clientId={client.id} />
      <LiveStatus>{announcement}</LiveStatus>
    </div>
  );
}
