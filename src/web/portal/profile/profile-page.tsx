import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { useMe } from '../auth/use-me.js';
import { useSignOut, type SignOutScope } from '../auth/use-sign-in.js';
import { formErrorsFrom } from '../../shared/field-errors.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import { ProfilePhoto } from './profile-photo.js';
import { useUpdateProfile } from './use-profile.js';

type Field = 'name' | 'phone';
const LABELS: Record<Field, string> = { name: 'Name', phone: 'Phone' };
const NAME_MAX = 200;
const PHONE_MAX = 40;

/** `/profile`: the customer's photo, name and phone, their email (read-only), and the ways to sign out. */
export function ProfilePage() {
  usePageTitle('Profile');
  const me = useMe();
  // The signed-in guard only renders this page with a customer.
  if (!me.data) return null;
  return (
    <div className="page page--narrow">
      <section className="panel panel--form" aria-labelledby="profile-title">
        <PageHeading id="profile-title" className="page-title">
          Your profile
        </PageHeading>
        <p className="page-intro">
          Account: <strong>{me.data.client.name}</strong>
        </p>
        <ProfilePhoto me={me.data} />
        <ProfileForm key={me.data.contact.id} me={me.data} />
      </section>
      <SignOutPanel />
    </div>
  );
}

function ProfileForm({ me }: { me: TMe }) {
  const { name: organisation } = usePortal();
  const update = useUpdateProfile();
  const [name, setName] = useState(me.contact.name);
  const [phone, setPhone] = useState(me.contact.phoneNational ?? me.contact.phone ?? '');
  const [emailUpdates, setEmailUpdates] = useState(me.contact.emailUpdates);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);

  const edited = () => {
    if (saved) setSaved(false);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const found: Partial<Record<Field, string>> = {};
    if (name.trim() === '') found.name = 'Enter your name.';
    else if (name.trim().length > NAME_MAX) found.name = `Keep your name to ${NAME_MAX} characters or fewer.`;
    if (phone.trim().length > PHONE_MAX) found.phone = 'This phone number is too long.';
    setErrors(found);
    setFormError(null);
    setSaved(false);
    if (found.name || found.phone) {
      (found.name ? nameRef : phoneRef).current?.focus();
      return;
    }
    update.mutate(
      { name: name.trim(), phone: phone.trim() === '' ? null : phone.trim(), emailUpdates },
      {
        onSuccess: (answer) => {
          const contact = (answer as Partial<TMe> | undefined)?.contact;
          if (contact) {
            setName(contact.name);
            setPhone(contact.phoneNational ?? contact.phone ?? '');
            setEmailUpdates(contact.emailUpdates);
          }
          setSaved(true);
        },
        onError: (error) => {
          const { fields, form } = formErrorsFrom<Field>(error, LABELS, { PHONE_INVALID: 'phone' });
          setErrors(fields);
          setFormError(form);
          if (fields.name) nameRef.current?.focus();
          else if (fields.phone) phoneRef.current?.focus();
        },
      },
    );
  };

  return (
    <form className="stack-form" noValidate onSubmit={onSubmit}>
      <TextField
        ref={nameRef}
        label="Name"
        name="name"
        autoComplete="name"
        value={name}
        maxLength={NAME_MAX + 20}
        onChange={(event) => {
          setName(event.target.value);
          edited();
        }}
        error={errors.name}
      />
      <TextField
        ref={phoneRef}
        label="Phone"
        hint="Optional. Include the area code; any format works."
        name="phone"
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        value={phone}
        maxLength={PHONE_MAX + 10}
        onChange={(event) => {
          setPhone(event.target.value);
          edited();
        }}
        error={errors.phone}
      />
      <div className="field">
        <p className="field__label">Email address</p>
        <p className="readonly-value" data-testid="profile-email">
          {me.contact.email}
        </p>
        <p className="field__hint">Only {organisation} can change your email address. Contact them if it has changed.</p>
      </div>
      <label className="profile-choice">
        <input
          type="checkbox"
          name="emailUpdates"
          checked={emailUpdates}
          onChange={(event) => {
            setEmailUpdates(event.target.checked);
            edited();
          }}
        />
        <span>
          Email me when my requests change
          <span className="field__hint">
            Status changes, visits booked or moved, and the confirmation of a new request. Replies from {organisation}, quotes and sign-in
            emails always come.
          </span>
        </span>
      </label>
      <ErrorNotice message={formError} />
      <div className="form-actions">
        <ActionButton type="submit" className="button--inline" isPending={update.isPending} pendingLabel="Saving…">
          Save changes
        </ActionButton>
        {/* Always present (a live region added with its text is often not announced); beside the button it answers. */}
        <div role="status" className="form-status">
          {saved ? <p className="notice notice--success">Your profile is saved.</p> : null}
          {update.isPending ? <span className="visually-hidden">Saving your profile…</span> : null}
        </div>
      </div>
    </form>
  );
}

function SignOutPanel() {
  const navigate = useNavigate();
  const signOut = useSignOut();
  const onSignOut = (scope: SignOutScope) =>
    signOut.mutate(scope, {
      // Back to a fresh home page, which now shows the sign-in form.
      onSuccess: () => void navigate('/', { replace: true }),
    });
  const pendingScope = signOut.isPending ? signOut.variables : null;
  return (
    <section className="panel panel--form" aria-labelledby="sign-out-title">
      <h2 className="section-title" id="sign-out-title">
        Sign out
      </h2>
      <p className="muted">Signing out on all devices also ends sessions on phones and computers you may have forgotten about.</p>
      <div className="form-actions">
        <ActionButton
          variant="secondary"
          className="button--inline"
          isPending={pendingScope === 'this-device'}
          pendingLabel="Signing out…"
          onClick={() => onSignOut('this-device')}
        >
          Sign out
        </ActionButton>
        <ActionButton
          variant="secondary"
          className="button--inline"
          isPending={pendingScope === 'all-devices'}
          pendingLabel="Signing out…"
          onClick={() => onSignOut('all-devices')}
        >
          Sign out on all devices
        </ActionButton>
      </div>
      <LiveStatus>{signOut.isPending ? 'Signing you out…' : ''}</LiveStatus>
      <ErrorNotice message={signOut.error ? messageOf(signOut.error) : null} />
    </section>
  );
}
