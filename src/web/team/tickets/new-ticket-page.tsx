import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { TTeamClient } from '../../../features/clients/team-client.schemas.js';
import type { TicketPriority } from '../../../features/tickets/ticket.schemas.js';
import { AttachmentPicker } from '../../shared/attachments/attachment-picker.js';
import { useUploads } from '../../shared/attachments/use-uploads.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, SelectField, TextAreaField, TextField } from '../../shared/form-controls.js';
import { ClientCombobox } from '../clients/client-combobox.js';
import { useClient } from '../clients/use-clients.js';
import { PRIORITIES } from '../inbox/inbox-filters.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { TEAM_API_BASE } from '../team-api.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { PRIORITY_LABELS } from '../../shared/ticket-labels.js';
import { useCreateTicket } from './use-team-tickets.js';

type Field = 'clientId' | 'contactId' | 'title' | 'description' | 'priority';
const LABELS: Record<Field, string> = {
  clientId: 'Client',
  contactId: 'Contact',
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
};

/**
 * `/app/tickets/new` (`?client=…` from a client's page): a ticket on behalf of a client's contact —
 * a phone call, a visit. The description is the first message, which the contact sees in the
 * portal; it opens as Open.
 */
export function NewTicketPage() {
  usePageTitle('New ticket');
  const navigate = useNavigate();
  const { locale } = useOrganisationFormats();
  const presetClient = new URLSearchParams(useLocation().search).get('client') ?? '';
  const [clientId, setClientId] = useState(presetClient);
  const [contactId, setContactId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const client = useClient(clientId, { enabled: clientId !== '' });
  const create = useCreateTicket();
  const uploads = useUploads(TEAM_API_BASE);
  const refs = {
    clientId: useRef<HTMLInputElement>(null),
    contactId: useRef<HTMLSelectElement>(null),
    title: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
    priority: useRef<HTMLSelectElement>(null),
  };
  const contacts = client.data?.contacts.filter((contact) => contact.status === 'active') ?? [];

  // One active contact: it is the one. Several: the person chooses.
  useEffect(() => {
    if (contacts.length === 1 && contactId === '') setContactId(contacts[0]?.id ?? '');
  }, [contacts, contactId]);

  const focusFirst = (fields: Partial<Record<Field, string>>) => {
    const first = (Object.keys(LABELS) as Field[]).find((field) => fields[field]);
    if (first) refs[first].current?.focus();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending || uploads.isBusy) return;
    const next: Partial<Record<Field, string>> = {
      clientId: clientId ? undefined : 'Choose the client.',
      contactId: contactId
        ? undefined
        : clientId && contacts.length === 0
          ? 'This client has no active contact. Add one first.'
          : 'Choose who it is for.',
      title: title.trim() ? undefined : 'Write a short title.',
      description: description.trim() ? undefined : 'Describe what is needed.',
    };
    setErrors(next);
    setFormError(null);
    if (Object.values(next).some(Boolean)) return focusFirst(next);
    const files = uploads.queue.take();
    create.mutate(
      {
        clientId,
        contactId,
        title: title.trim(),
        description,
        priority,
        fileIds: files.flatMap((f) => (f.attachment ? [f.attachment.id] : [])),
      },
      {
        onSuccess: (detail) => void navigate(`/tickets/${encodeURIComponent(detail.ticket.id)}`, { replace: true }),
        onError: (error) => {
          uploads.queue.restore(files);
          const spread = formErrorsFrom(error, LABELS, { CLIENT_NOT_FOUND: 'clientId', CONTACT_NOT_FOUND: 'contactId' });
          setErrors(spread.fields);
          setFormError(spread.form);
          focusFirst(spread.fields);
        },
      },
    );
  };

  return (
    <div className="page page--narrow">
      <Link className="back-link" to="/">
        <span aria-hidden="true">←</span> Inbox
      </Link>
      <div className="page-head">
        <PageHeading>New ticket</PageHeading>
      </div>
      <form className="card form" noValidate onSubmit={onSubmit}>
        <p className="card__text">For a request that came by phone or in person. The contact sees it in their portal.</p>
        {clientId ? (
          <div className="field">
            <span className="field__label">Client</span>
            <p className="chip chip--field">
              {client.data?.client.name ?? 'Loading…'}
              <button
                type="button"
                className="chip__remove"
                aria-label="Choose another client"
                onClick={() => {
                  setClientId('');
                  setContactId('');
                  window.requestAnimationFrame(() => refs.clientId.current?.focus());
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </p>
          </div>
        ) : (
          <ClientCombobox
            label="Client"
            hint="Type a client's name, or a contact's name or email."
            inputRef={refs.clientId}
            error={errors.clientId}
            onChoose={(chosen: TTeamClient) => {
              setClientId(chosen.id);
              setContactId('');
              setErrors((e) => ({ ...e, clientId: undefined }));
              window.requestAnimationFrame(() => refs.contactId.current?.focus());
            }}
          />
        )}
        <SelectField
          ref={refs.contactId}
          label="Contact"
          hint={clientId ? 'Who the ticket is for; they get the replies.' : 'Choose the client first.'}
          value={contactId}
          onChange={(event) => setContactId(event.target.value)}
          error={errors.contactId}
          disabled={!clientId}
        >
          <option value="">{contacts.length === 0 ? 'No contacts' : 'Choose a contact'}</option>
          {contacts.map((contact) => (
            <option key={contact.id} value={contact.id}>
              {contact.name} ({contact.email})
            </option>
          ))}
        </SelectField>
        <TextField
          ref={refs.title}
          label="Title"
          name="title"
          maxLength={200}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          error={errors.title}
        />
        <TextAreaField
          ref={refs.description}
          label="Description"
          hint="The first message of the ticket; the contact sees it."
          rows={5}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          error={errors.description}
        />
        <SelectField
          ref={refs.priority}
          label="Priority"
          value={priority}
          onChange={(event) => setPriority(event.target.value as TicketPriority)}
        >
          {[...PRIORITIES].reverse().map((value) => (
            <option key={value} value={value}>
              {PRIORITY_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <AttachmentPicker uploads={uploads} locale={locale} label="Files" />
        <ErrorNotice message={formError} />
        <div className="card__actions">
          <ActionButton
            type="submit"
            className="button--inline"
            isPending={create.isPending || uploads.isBusy}
            pendingLabel={uploads.isBusy ? 'Uploading…' : 'Creating…'}
          >
            Create ticket
          </ActionButton>
          <Link className="button button--secondary button--inline" to="/">
            Cancel
          </Link>
        </div>
        <LiveStatus>{create.isPending ? 'Creating the ticket…' : ''}</LiveStatus>
      </form>
    </div>
  );
}
