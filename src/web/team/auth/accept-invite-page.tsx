import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TTeamSession } from '../../../features/auth/team-auth.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { checkPassword } from '../lib/password-strength.js';
import { teamApi } from '../team-api.js';
import { AuthCard, useFragmentToken } from './auth-card.js';
import { lockoutMessage } from './lockout.js';
import { PasswordField } from './password-field.js';
import { setSignedIn } from './use-session.js';

type Mode = 'new' | 'existing';

/**
 * `/app/accept-invite#token=…`: joins an organisation. Someone new to Servelo chooses a password
 * (and may correct their name); someone who already signs in to another organisation proves it
 * with their password (and authentication code), like any sign-in. Then they are signed in.
 */
export function AcceptInvitePage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const token = useFragmentToken();
  const [mode, setMode] = useState<Mode>('new');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<{ password?: string | null; code?: string | null }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const accept = useMutation({
    mutationFn: () =>
      teamApi.post<TTeamSession>('auth/accept-invite', {
        token,
        password,
        ...(mode === 'new' && name.trim() ? { name: name.trim() } : {}),
        ...(needsCode && code.trim() ? { totp: code.trim() } : {}),
      }),
    onSuccess: (session) => {
      setSignedIn(queryClient, session, undefined);
      void navigate('/', { replace: true });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(messageOf(error));
      if (error.code === 'TOTP_REQUIRED') return setNeedsCode(true);
      if (error.code === 'TOTP_INVALID') return setErrors({ code: error.message });
      if (error.code === 'PASSWORD_TOO_WEAK') {
        setErrors({ password: error.message });
        return passwordRef.current?.focus();
      }
      if (error.code === 'SIGN_IN_FAILED') {
        setErrors({
          password:
            mode === 'existing'
              ? 'That password is not correct.'
              : 'This email address already has a Servelo account. Choose “I already use Servelo” and enter its password.',
        });
        return passwordRef.current?.focus();
      }
      if (error.code === 'ACCOUNT_LOCKED') return setFormError(lockoutMessage(error));
      setFormError(error.message);
    },
  });

  useEffect(() => {
    if (needsCode) codeRef.current?.focus();
  }, [needsCode]);

  const isInvalid = token.length < 20 || (accept.error instanceof ApiError && accept.error.code === 'INVITATION_INVALID');
  if (isInvalid) {
    return (
      <AuthCard title="This invitation cannot be used">
        <p className="auth-card__text" role="alert">
          This invitation has expired or has already been used. Ask the person who invited you to send a new one.
        </p>
        <p className="form__alt">
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </AuthCard>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (accept.isPending) return;
    setFormError(null);
    const passwordProblem =
      password === ''
        ? mode === 'new'
          ? 'Choose a password.'
          : 'Enter your password.'
        : mode === 'new'
          ? checkPassword(password).problem
          : null;
    const codeProblem = needsCode && code.trim() === '' ? 'Enter the code from your authenticator app, or a recovery code.' : null;
    setErrors({ password: passwordProblem, code: codeProblem });
    if (passwordProblem) return passwordRef.current?.focus();
    if (codeProblem) return codeRef.current?.focus();
    accept.mutate();
  };

  return (
    <AuthCard title="Join your team on Servelo" intro={<p>You were invited to answer your organisation&rsquo;s customers.</p>}>
      <form className="form" noValidate onSubmit={onSubmit}>
        <fieldset className="choice">
          <legend className="field__label">Do you already use Servelo?</legend>
          {(['new', 'existing'] as const).map((value) => (
            <label key={value} className="choice__option">
              <input
                type="radio"
                name="mode"
                value={value}
                checked={mode === value}
                onChange={() => {
                  setMode(value);
                  setErrors({});
                  setNeedsCode(false);
                }}
              />
              {value === 'new' ? 'I am new to Servelo: choose a password' : 'I already use Servelo: sign in with my password'}
            </label>
          ))}
        </fieldset>
        {mode === 'new' ? (
          <TextField
            label="Your name"
            hint="Optional. As your team and customers will see it."
            name="name"
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        ) : null}
        <PasswordField
          label={mode === 'new' ? 'Choose a password' : 'Your Servelo password'}
          value={password}
          onChange={setPassword}
          error={errors.password}
          isNew={mode === 'new'}
          inputRef={passwordRef}
        />
        {needsCode ? (
          <TextField
            ref={codeRef}
            label="Authentication code"
            hint="6 digits from your authenticator app, or a recovery code."
            name="totp"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={errors.code}
          />
        ) : null}
        <ErrorNotice message={formError} />
        <ActionButton type="submit" isPending={accept.isPending} pendingLabel="Joining…">
          Accept and sign in
        </ActionButton>
        <LiveStatus>{accept.isPending ? 'Joining…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}
