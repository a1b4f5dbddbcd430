import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { TTeamSession, TTeamSignInRequest } from '../../../features/auth/team-auth.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, EmailField, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { teamApi } from '../team-api.js';
import { AuthCard } from './auth-card.js';
import { lockoutMessage } from './lockout.js';
import { PasswordField } from './password-field.js';
import { safeNextPath } from '../lib/next-path.js';
import { setSignedIn } from './use-session.js';

type Step = 'password' | 'code';

/**
 * `/app/sign-in`: email and password; when the account has two-step sign-in the server answers
 * TOTP_REQUIRED and a second step asks for the authenticator's code (or a recovery code). A
 * locked account says until when. Afterwards the person lands where they were going (`?next=`).
 */
export function SignInPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const next = safeNextPath(new URLSearchParams(location.search).get('next'));
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<{ email?: string; password?: string; code?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const signIn = useMutation({
    mutationFn: (input: TTeamSignInRequest) => teamApi.post<TTeamSession>('auth/sign-in', input),
    onSuccess: (session) => {
      setSignedIn(queryClient, session, undefined);
      void navigate(next, { replace: true });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(messageOf(error));
      switch (error.code) {
        case 'TOTP_REQUIRED':
          setStep('code');
          setFormError(null);
          return;
        case 'TOTP_INVALID':
          setFieldError({ code: error.message });
          codeRef.current?.select();
          return;
        case 'SIGN_IN_FAILED':
          setStep('password');
          setPassword('');
          setCode('');
          setFormError(error.message);
          passwordRef.current?.focus();
          return;
        case 'ACCOUNT_LOCKED':
          setStep('password');
          setFormError(lockoutMessage(error));
          return;
        default:
          setFormError(error.message);
      }
    },
  });

  useEffect(() => {
    if (step === 'code') codeRef.current?.focus();
  }, [step]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signIn.isPending) return;
    setFormError(null);
    if (step === 'password') {
      const errors = {
        email: email.trim() === '' ? 'Enter your email address.' : undefined,
        password: password === '' ? 'Enter your password.' : undefined,
      };
      setFieldError(errors);
      if (errors.email) return emailRef.current?.focus();
      if (errors.password) return passwordRef.current?.focus();
      signIn.mutate({ email: email.trim(), password });
      return;
    }
    if (code.trim() === '') {
      setFieldError({ code: 'Enter the code from your authenticator app, or a recovery code.' });
      codeRef.current?.focus();
      return;
    }
    setFieldError({});
    signIn.mutate({ email: email.trim(), password, totp: code.trim() });
  };

  return (
    <AuthCard
      title={step === 'password' ? 'Sign in to Servelo' : 'Two-step sign-in'}
      intro={
        step === 'code' ? (
          <p>
            Enter the 6-digit code from your authenticator app for <strong>{email.trim()}</strong>. No phone at hand? A recovery code works
            too.
          </p>
        ) : (
          <p>For the teams of organisations using Servelo. Customers sign in on their organisation&rsquo;s portal.</p>
        )
      }
    >
      <form className="form" noValidate onSubmit={onSubmit}>
        {step === 'password' ? (
          <>
            <EmailField
              ref={emailRef}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={fieldError.email}
              autoFocus
            />
            <PasswordField label="Password" value={password} onChange={setPassword} error={fieldError.password} inputRef={passwordRef} />
          </>
        ) : (
          <TextField
            ref={codeRef}
            label="Authentication code"
            hint="6 digits, or a recovery code like ABCDE-FGHJK."
            name="totp"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={fieldError.code}
          />
        )}
        <ErrorNotice message={formError} />
        <ActionButton type="submit" isPending={signIn.isPending} pendingLabel="Signing in…">
          {step === 'password' ? 'Sign in' : 'Verify and sign in'}
        </ActionButton>
        {step === 'code' ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setStep('password');
              setCode('');
              setFieldError({});
            }}
          >
            Use a different account
          </button>
        ) : (
          <p className="form__alt">
            <Link to="/forgot-password">Forgot your password?</Link>
          </p>
        )}
        <LiveStatus>{signIn.isPending ? 'Signing in…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}
