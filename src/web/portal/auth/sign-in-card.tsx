import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, EmailField, LiveStatus } from '../../shared/form-controls.js';
import { InboxIcon } from '../layout/icons.js';
import { preloadSignInPages } from '../lazy-pages.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import type { CheckEmailState } from './check-email-page.js';
import { useRequestLink } from './use-sign-in.js';
import { emailProblem } from '../lib/validate-sign-in.js';

/**
 * The signed-out home page: one email field that asks for a sign-in link. While the session is
 * still being checked it shows only its heading and text, exactly like the server-rendered page,
 * so the page does not jump when React takes over or when the form appears below.
 */
export function SignInCard({ isChecking }: { isChecking: boolean }) {
  const { name } = usePortal();
  usePageTitle(isChecking ? null : 'Sign in');
  return (
    <section className="portal-card portal-card--home" aria-labelledby="portal-welcome-title" aria-busy={isChecking || undefined}>
      <div className="portal-card__icon" aria-hidden="true">
        <InboxIcon />
      </div>
      <PageHeading id="portal-welcome-title">Sign in to see your tickets</PageHeading>
      <p className="portal-card__text">Your requests with {name} will appear here.</p>
      {isChecking ? null : <RequestLinkForm />}
    </section>
  );
}

function RequestLinkForm() {
  const navigate = useNavigate();
  const requestLink = useRequestLink();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // The next pages' code arrives while the customer types, so "Check your email" shows at once.
  useEffect(preloadSignInPages, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (requestLink.isPending) return;
    const address = email.trim();
    const problem = emailProblem(address);
    setError(problem);
    if (problem) {
      inputRef.current?.focus();
      return;
    }
    requestLink.mutate(address, {
      onSuccess: ({ message }) => {
        const state: CheckEmailState = { message, email: address };
        void navigate('/sign-in/check-email', { state });
      },
      onError: (failure) => {
        setError(messageOf(failure));
        inputRef.current?.focus();
      },
    });
  };

  return (
    <form className="portal-form" noValidate onSubmit={onSubmit}>
      <EmailField
        ref={inputRef}
        hint="We will email you a link to sign in. No password needed."
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={error}
      />
      <ActionButton type="submit" isPending={requestLink.isPending} pendingLabel="Sending…">
        Email me a sign-in link
      </ActionButton>
      <LiveStatus>{requestLink.isPending ? 'Sending your sign-in link…' : ''}</LiveStatus>
      <p className="portal-form__alt">
        <Link to="/sign-in/code" state={email.trim() ? { email: email.trim() } : null}>
          Have a code? Enter it here
        </Link>
      </p>
    </form>
  );
}
