import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { useClientList, useCreateClient } from './use-clients.js';
import { VISIBILITY_LABELS } from './visibility.js';
import { ListEmpty, ListError, ListSkeleton } from '../layout/list-states.js';

/**
 * `/app/clients`: the organisation's clients A to Z with a search (a client's name, or a
 * contact's name or email) kept in the URL, "Load more" for the next 50, and a new client.
 */
export function ClientsPage() {
  usePageTitle('Clients');
  const location = useLocation();
  const navigate = useNavigate();
  const { locale } = useOrganisationFormats();
  const q = new URLSearchParams(location.search).get('q') ?? '';
  const [text, setText] = useState(q);
  const [isCreating, setIsCreating] = useState(false);
  const list = useClientList(q);
  const clients = list.data?.pages.flatMap((page) => page.clients) ?? [];

  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (text.trim() === q.trim()) return;
    const timer = window.setTimeout(
      () => void navigate({ search: text.trim() ? `?q=${encodeURIComponent(text.trim())}` : '' }, { replace: true }),
      250,
    );
    return () => window.clearTimeout(timer);
  }, [text, q, navigate]);

  return (
    <div className="page page--clients">
      <div className="page-head">
        <PageHeading>Clients</PageHeading>
        <div className="page-head__actions">
          <button
            type="button"
            className="button button--primary button--inline"
            onClick={() => setIsCreating(true)}
            aria-expanded={isCreating}
          >
            New client
          </button>
        </div>
      </div>
      {isCreating ? <NewClientForm onDone={() => setIsCreating(false)} /> : null}
      <div className="filter-bar" role="search">
        <div className="filter-bar__search">
          <label className="visually-hidden" htmlFor="client-search">
            Search clients
          </label>
          <input
            id="client-search"
            className="field__input"
            type="search"
            placeholder="Search by client, contact name or email"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
      </div>
      <div className="inbox-body">
        {list.isError && clients.length === 0 ? (
          <ListError message={messageOf(list.error)} />
        ) : list.isPending ? (
          <ListSkeleton rows={6} />
        ) : clients.length === 0 ? (
          <ListEmpty title={q ? `No clients match “${q}”.` : 'No clients yet.'} />
        ) : (
          <table className={list.isPlaceholderData ? 'inbox-table inbox-table--dimmed data-table' : 'inbox-table data-table'}>
            <caption className="visually-hidden">Clients</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Contacts</th>
                <th scope="col">Portal shows contacts</th>
                <th scope="col">Tickets</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <tr key={client.id}>
                  <td>
                    <Link className="data-table__link" to={`/clients/${encodeURIComponent(client.id)}`}>
                      {client.name}
                    </Link>
                  </td>
                  <td>{client.contactCount.toLocaleString(locale)}</td>
                  <td className="muted">{VISIBILITY_LABELS[client.ticketVisibility]}</td>
                  <td>
                    <Link to={{ pathname: '/', search: `?status=all&client=${encodeURIComponent(client.id)}` }}>
                      Tickets<span className="visually-hidden"> of {client.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.hasNextPage ? (
          <div className="load-more">
            <button type="button" className="button button--secondary button--inline" onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </div>
      <LiveStatus>{list.isFetching ? 'Loading clients…' : ''}</LiveStatus>
    </div>
  );
}

function NewClientForm({ onDone }: { onDone: () => void }) {
  const navigate = useNavigate();
  const create = useCreateClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    if (!name.trim()) {
      setError('Enter the client’s name.');
      nameRef.current?.focus();
      return;
    }
    create.mutate(
      { name: name.trim() },
      {
        onSuccess: (client) => void navigate(`/clients/${encodeURIComponent(client.id)}`),
        onError: (failure) => {
          const spread = formErrorsFrom(failure, { name: 'Name' });
          setError(spread.fields.name ?? null);
          setFormError(spread.form);
        },
      },
    );
  };
  return (
    <form className="card form inline-form" noValidate onSubmit={onSubmit} aria-labelledby="new-client-title">
      <h2 className="card__heading" id="new-client-title">
        New client
      </h2>
      <TextField
        ref={nameRef}
        label="Name"
        hint="A household, a business or a building."
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={error}
        maxLength={200}
      />
      <ErrorNotice message={formError} />
      <div className="card__actions">
        <ActionButton type="submit" className="button--inline" isPending={create.isPending} pendingLabel="Creating…">
          Create client
        </ActionButton>
        <button type="button" className="button button--secondary button--inline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
