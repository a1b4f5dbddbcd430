import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, EmailField, ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { teamApi } from '../team-api.js';
import { AuthCard, useFragmentToken } from './auth-card.js';
import { PasswordField } from './password-field.js';
import { checkPassword } from '../lib/password-strength.js';
import { setSignedOut } from './use-session.js';

/**
 * `/app/forgot-password`: asks for a reset link. The server answers the same for every address
 * (known or not), so the page does too.
 */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const request = useMutation({
    mutationFn: (address: string) => teamApi.post<{ message: string }>('auth/reset-request', { email: address }),
  });

  if (request.isSuccess) {
    return (
      <AuthCard title="Check your email">
        <p className="auth-card__text" role="status">
          {request.data.message} The link works once, for a short time.
        </p>
        <p className="form__alt">
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    if (email.trim() === '') {
      setError('Enter your email address.');
      emailRef.current?.focus();
      return;
    }
    setError(null);
    request.mutate(email.trim());
  };

  return (
    <AuthCard
      title="Reset your password"
      intro={<p>Enter the email address you sign in with. We will send you a link to choose a new password.</p>}
    >
      <form className="form" noValidate onSubmit={onSubmit}>
        <EmailField ref={emailRef} value={email} onChange={(event) => setEmail(event.target.value)} error={error} autoFocus />
        <ErrorNotice message={request.isError ? messageOf(request.error) : null} />
        <ActionButton type="submit" isPending={request.isPending} pendingLabel="Sending…">
          Email me a reset link
        </ActionButton>
        <p className="form__alt">
          <Link to="/sign-in">Back to sign in</Link>
        </p>
        <LiveStatus>{request.isPending ? 'Sending…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}

/**
 * `/app/reset#token=…`: a new password. The token is read from the fragment (never sent to the
 * server in a URL or a Referer) and the fragment is removed at once. Every session of the account
 * ends, so afterwards the person signs in again with the new password.
 */
export function ResetPasswordPage() {
  const queryClient = useQueryClient();
  const token = useFragmentToken();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const reset = useMutation({
    mutationFn: () => teamApi.post<void>('auth/reset', { token, password }),
    onSuccess: () => setSignedOut(queryClient),
    onError: (failure) => {
      if (failure instanceof ApiError && failure.code === 'PASSWORD_TOO_WEAK') {
        setError(failure.message);
        passwordRef.current?.focus();
      }
    },
  });
  const isLinkInvalid = token.length < 20 || (reset.error instanceof ApiError && reset.error.code === 'RESET_LINK_INVALID');

  if (reset.isSuccess) {
    return (
      <AuthCard title="Your password is changed">
        <p className="auth-card__text" role="status">
          You were signed out everywhere. Sign in with your new password.
        </p>
        <div className="form">
          <Link className="button button--primary" to="/sign-in">
            Sign in
          </Link>
        </div>
      </AuthCard>
    );
  }
  if (isLinkInvalid) {
    return (
      <AuthCard title="This link cannot be used">
        <p className="auth-card__text" role="alert">
          This password reset link has expired or has already been used. Links work once, for a short time.
        </p>
        <div className="form">
          <Link className="button button--primary" to="/forgot-password">
            Ask for a new link
          </Link>
        </div>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reset.isPending) return;
    const problem = password === '' ? 'Choose a new password.' : checkPassword(password).problem;
    setError(problem);
    if (problem) {
      passwordRef.current?.focus();
      return;
    }
    reset.mutate();
  };

  const formError =
    reset.isError && !(reset.error instanceof ApiError && reset.error.code === 'PASSWORD_TOO_WEAK') ? messageOf(reset.error) : null;
  return (
    <AuthCard title="Choose a new password">
      <form className="form" noValidate onSubmit={onSubmit}>
        <PasswordField label="New password" value={password} onChange={setPassword} error={error} isNew inputRef={passwordRef} />
        <ErrorNotice message={formError} />
        <ActionButton type="submit" isPending={reset.isPending} pendingLabel="Saving…">
          Save the new password
        </ActionButton>
        <LiveStatus>{reset.isPending ? 'Saving…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}
