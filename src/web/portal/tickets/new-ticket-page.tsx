import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TSubmitTicketInput } from '../../../features/tickets/portal-ticket.schemas.js';
import { ApiError } from '../../shared/api-client.js';
import { AttachmentPicker } from '../../shared/attachments/attachment-picker.js';
import { useUploads } from '../../shared/attachments/use-uploads.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import {
  ActionButton,
  CharacterCounter,
  ErrorNotice,
  LiveStatus,
  SelectField,
  TextAreaField,
  TextField,
} from '../../shared/form-controls.js';
import { InboxIcon } from '../layout/icons.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { MessageCard } from '../../shared/states.js';
import { BackToRequestsLink } from './back-to-requests-link.js';
import { usePortal, usePortalApiBase } from '../portal-context.js';
import { PRIORITY_LABELS } from '../../shared/ticket-labels.js';
import type { TicketPriority } from '../../../features/tickets/ticket.schemas.js';
import { useSubmitTicket } from './use-tickets.js';
import { MESSAGE_MAX, messageProblem, TITLE_MAX, titleProblem } from '../lib/validate-ticket.js';

type Field = 'title' | 'description' | 'priority';
const LABELS: Record<Field, string> = { title: 'Title', description: 'Description', priority: 'Priority' };
const PRIORITIES = Object.keys(PRIORITY_LABELS) as TicketPriority[];

/**
 * `/tickets/new`: a new request, with photos or documents if the customer has them. Files upload
 * while the form is filled in; submitting waits for those still on their way and sends the ones
 * that made it. Lands as "New" and opens its page.
 */
export function NewTicketPage() {
  const { submissionsEnabled } = usePortal();
  const [isDisabled, setIsDisabled] = useState(!submissionsEnabled);
  if (isDisabled) return <SubmissionsDisabled />;
  return <NewTicketForm onDisabled={() => setIsDisabled(true)} />;
}

function NewTicketForm({ onDisabled }: { onDisabled: () => void }) {
  usePageTitle('New request');
  const navigate = useNavigate();
  const submit = useSubmitTicket();
  const { locale } = usePortal();
  const uploads = useUploads(usePortalApiBase());
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const refs = {
    title: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
    priority: useRef<HTMLSelectElement>(null),
  };

  const focusFirst = (found: Partial<Record<Field, string>>) => {
    const first = (Object.keys(LABELS) as Field[]).find((field) => found[field]);
    if (first) refs[first].current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submit.isPending || uploads.isBusy) return;
    const found: Partial<Record<Field, string>> = {};
    const t = titleProblem(title);
    const d = messageProblem(description, 'Describe what you need, so the team can help.');
    if (t) found.title = t;
    if (d) found.description = d;
    setErrors(found);
    setFormError(null);
    if (t || d) {
      focusFirst(found);
      return;
    }
    const fileIds = uploads.items.flatMap((item) => (item.state === 'uploaded' && item.attachment ? [item.attachment.id] : []));
    const input: TSubmitTicketInput = { title: title.trim(), description, priority, fileIds };
    submit.mutate(input, {
      onSuccess: (detail) => void navigate(`/tickets/${encodeURIComponent(detail.ticket.id)}`, { replace: true }),
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'PORTAL_SUBMISSIONS_DISABLED') {
          onDisabled();
          return;
        }
        const { fields, form } = formErrorsFrom(error, LABELS);
        setErrors(fields);
        setFormError(form);
        focusFirst(fields);
      },
    });
  };

  return (
    <div className="page page--narrow">
      <Link className="back-link" to="/">
        <span aria-hidden="true">←</span> All requests
      </Link>
      <section className="panel panel--form" aria-labelledby="new-ticket-title">
        <PageHeading id="new-ticket-title" className="page-title">
          New request
        </PageHeading>
        <p className="page-intro">Tell us what you need. You can add details later in the conversation.</p>
        <form className="stack-form" noValidate onSubmit={onSubmit}>
          <TextField
            ref={refs.title}
            label="Title"
            hint="A few words, like “Kitchen sink is leaking”."
            name="title"
            autoComplete="off"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            error={errors.title}
            counter={<CharacterCounter length={title.trim().length} max={TITLE_MAX} />}
          />
          <TextAreaField
            ref={refs.description}
            label="Description"
            hint="What happened, where, and when suits you for a visit."
            name="description"
            rows={7}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            error={errors.description}
            counter={
              description.length > MESSAGE_MAX * 0.9 ? <CharacterCounter length={description.length} max={MESSAGE_MAX} /> : undefined
            }
          />
          <SelectField
            ref={refs.priority}
            label="Priority"
            hint="Optional. Urgent is for things that cannot wait, like a flood."
            name="priority"
            value={priority}
            onChange={(event) => setPriority(event.target.value as TicketPriority)}
            error={errors.priority}
          >
            {PRIORITIES.map((value) => (
              <option key={value} value={value}>
                {PRIORITY_LABELS[value]}
              </option>
            ))}
          </SelectField>
          <AttachmentPicker uploads={uploads} locale={locale} />
          <ErrorNotice message={formError} />
          <div className="form-actions">
            <ActionButton
              type="submit"
              className="button--inline"
              isPending={submit.isPending || uploads.isBusy}
              pendingLabel={submit.isPending ? 'Submitting…' : 'Uploading…'}
            >
              Submit request
            </ActionButton>
            <Link className="button button--secondary button--inline" to="/">
              Cancel
            </Link>
          </div>
          <LiveStatus>{submit.isPending ? 'Submitting your request…' : ''}</LiveStatus>
        </form>
      </section>
    </div>
  );
}

function SubmissionsDisabled() {
  const { name } = usePortal();
  return (
    <MessageCard
      id="submissions-off-title"
      pageTitle="New requests"
      icon={<InboxIcon />}
      title="New requests are not taken here"
      text={`${name} does not accept new requests through this site. Please contact them directly. You can still follow and reply to your existing requests.`}
      actions={<BackToRequestsLink />}
    />
  );
}
