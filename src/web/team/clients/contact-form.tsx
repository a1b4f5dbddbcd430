import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TTeamContact } from '../../../features/clients/team-client.schemas.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, TextField } from '../../shared/form-controls.js';
import { useCreateContact, useUpdateContact } from './use-clients.js';

type Field = 'name' | 'email' | 'phone';
const LABELS: Record<Field, string> = { name: 'Name', email: 'Email', phone: 'Phone' };

/**
 * Adds a contact, or edits one. Changing the email is a security event: the contact's sign-in
 * links and sessions end and both addresses are told, which the form says before it is saved.
 */
export function ContactForm({
  clientId,
  contact,
  onDone,
}: {
  clientId: string;
  contact: TTeamContact | null;
  onDone: (saved: TTeamContact | null) => void;
}) {
  const create = useCreateContact(clientId);
  const update = useUpdateContact(clientId);
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phoneNational ?? contact?.phone ?? '');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const isEmailChanged = contact !== null && email.trim().toLowerCase() !== contact.email.toLowerCase() && email.trim() !== '';
  const isPending = create.isPending || update.isPending;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isPending) return;
    const next: Partial<Record<Field, string>> = {
      name: name.trim() ? undefined : 'Enter the contact’s name.',
      email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? undefined : 'Enter an email address like name@example.com.',
    };
    setErrors(next);
    setFormError(null);
    if (next.name) return nameRef.current?.focus();
    if (next.email) return emailRef.current?.focus();
    const onError = (failure: unknown) => {
      const spread = formErrorsFrom(failure, LABELS, { EMAIL_TAKEN: 'email', PHONE_INVALID: 'phone' });
      setErrors(spread.fields);
      setFormError(spread.form);
      if (spread.fields.email) emailRef.current?.focus();
      else if (spread.fields.phone) phoneRef.current?.focus();
    };
    if (contact) {
      update.mutate(
        {
          id: contact.id,
          change: {
            name: name.trim(),
            ...(isEmailChanged ? { email: email.trim() } : {}),
            phone: phone.trim() === '' ? null : phone.trim(),
          },
        },
        { onSuccess: (saved) => onDone(saved), onError },
      );
    } else {
      create.mutate(
        { name: name.trim(), email: email.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
        { onSuccess: (saved) => onDone(saved), onError },
      );
    }
  };

  return (
    <form className="contact-form" noValidate onSubmit={onSubmit} aria-label={contact ? `Edit ${contact.name}` : 'New contact'}>
      <div className="contact-form__fields">
        <TextField
          ref={nameRef}
          label="Name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          maxLength={200}
        />
        <TextField
          ref={emailRef}
          label="Email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <TextField
          ref={phoneRef}
          label="Phone"
          hint="Optional."
          type="tel"
          autoComplete="off"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={errors.phone}
        />
      </div>
      {isEmailChanged ? (
        <p className="notice notice--warning" role="status">
          Changing the email signs {contact?.name ?? 'this contact'} out of the portal everywhere and cancels their sign-in links. Both the
          old and the new address get an email about the change.
        </p>
      ) : null}
      <ErrorNotice message={formError} />
      <div className="card__actions">
        <ActionButton type="submit" className="button--inline" isPending={isPending} pendingLabel="Saving…">
          {contact ? 'Save contact' : 'Add contact'}
        </ActionButton>
        <button type="button" className="button button--secondary button--inline" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
