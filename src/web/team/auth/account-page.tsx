import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus, TextField } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { teamApi } from '../team-api.js';
import { PasswordField } from './password-field.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SESSION_QUERY_KEY, useSignedInSession } from './use-session.js';

interface TotpSetup {
  readonly secret: string;
  readonly otpauthUrl: string;
  readonly qrSvg: string;
}

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', agent: 'Agent' } as const;

/** `/app/account`: who you are here, and two-step sign-in (set up with a QR code, or turn off). */
export function AccountPage() {
  usePageTitle('Account and security');
  const session = useSignedInSession();
  const { member, tenant, account } = session;
  return (
    <div className="page page--narrow">
      <PageHeading>Account and security</PageHeading>
      <section className="card" aria-labelledby="account-you">
        <h2 className="card__heading" id="account-you">
          You
        </h2>
        <dl className="facts facts--columns">
          <div>
            <dt>Name</dt>
            <dd>{member.name}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{member.email}</dd>
          </div>
          <div>
            <dt>Role in {tenant.name}</dt>
            <dd>{ROLE_LABELS[member.role]}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="account-totp">
        <h2 className="card__heading" id="account-totp">
          Two-step sign-in
        </h2>
        {account.totpEnabled ? <TotpOn /> : <TotpOff />}
      </section>
    </div>
  );
}

function useRefreshSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
}

/** Off: explain, then set up (QR code and secret from the server), confirm a code, show the recovery codes once. */
function TotpOff() {
  const refreshSession = useRefreshSession();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const setup = useMutation({ mutationFn: () => teamApi.post<TotpSetup>('me/totp/setup') });
  const enable = useMutation({
    mutationFn: (value: string) => teamApi.post<{ recoveryCodes: string[] }>('me/totp/enable', { code: value }),
    onSuccess: (answer) => setRecoveryCodes(answer.recoveryCodes),
    onError: (error) => {
      setCodeError(messageOf(error));
      codeRef.current?.focus();
    },
  });

  useEffect(() => {
    if (setup.isSuccess) codeRef.current?.focus();
  }, [setup.isSuccess]);

  if (recoveryCodes) {
    return <RecoveryCodes codes={recoveryCodes} onDone={() => void refreshSession()} />;
  }
  if (!setup.data) {
    return (
      <>
        <p className="card__text">
          <span className="status-pill status-pill--off">Off</span> Add a second step to signing in: a 6-digit code from an authenticator
          app on your phone (1Password, Google Authenticator, Microsoft Authenticator…).
        </p>
        <ErrorNotice message={setup.isError ? messageOf(setup.error) : null} />
        <div className="card__actions">
          <ActionButton className="button--inline" isPending={setup.isPending} pendingLabel="Preparing…" onClick={() => setup.mutate()}>
            Set up two-step sign-in
          </ActionButton>
        </div>
      </>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (enable.isPending) return;
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setCodeError('Enter the 6-digit code your app shows now.');
      codeRef.current?.focus();
      return;
    }
    setCodeError(null);
    enable.mutate(code.replace(/\s/g, ''));
  };

  return (
    <form className="totp-setup" noValidate onSubmit={onSubmit}>
      <ol className="steps">
        <li>
          <p>Scan this code with your authenticator app.</p>
          <img
            className="totp-setup__qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.data.qrSvg)}`}
            alt="QR code for your authenticator app"
            width={180}
            height={180}
          />
          <p className="muted">
            Cannot scan? Enter this key by hand: <code className="secret">{setup.data.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </li>
        <li>
          <TextField
            ref={codeRef}
            label="Enter the 6-digit code the app shows"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            error={codeError}
          />
        </li>
      </ol>
      <div className="card__actions">
        <ActionButton type="submit" className="button--inline" isPending={enable.isPending} pendingLabel="Checking…">
          Turn on two-step sign-in
        </ActionButton>
      </div>
      <LiveStatus>{enable.isPending ? 'Checking the code…' : ''}</LiveStatus>
    </form>
  );
}

/** On: turning it off asks for the password and a current code (or a recovery code). */
function TotpOn() {
  const refreshSession = useRefreshSession();
  const [isDisabling, setIsDisabling] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ password?: string | null; code?: string | null }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const disable = useMutation({
    mutationFn: () => teamApi.post<void>('me/totp/disable', { password, code: code.trim() }),
    onSuccess: () => void refreshSession(),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'SIGN_IN_FAILED') setErrors({ password: 'That password is not correct.' });
      else if (error instanceof ApiError && error.code === 'TOTP_INVALID') setErrors({ code: error.message });
    },
  });

  useEffect(() => {
    if (isDisabling) passwordRef.current?.focus();
  }, [isDisabling]);

  if (!isDisabling) {
    return (
      <>
        <p className="card__text">
          <span className="status-pill status-pill--on">On</span> Signing in asks for a code from your authenticator app. Keep your recovery
          codes somewhere safe: each works once if you lose your phone.
        </p>
        <div className="card__actions">
          <button type="button" className="button button--secondary button--inline" onClick={() => setIsDisabling(true)}>
            Turn off two-step sign-in
          </button>
        </div>
      </>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (disable.isPending) return;
    const next = {
      password: password === '' ? 'Enter your password.' : null,
      code: code.trim() === '' ? 'Enter a code from your app, or a recovery code.' : null,
    };
    setErrors(next);
    if (next.password || next.code) return;
    disable.mutate();
  };
  const otherError =
    disable.isError && !(disable.error instanceof ApiError && ['SIGN_IN_FAILED', 'TOTP_INVALID'].includes(disable.error.code))
      ? messageOf(disable.error)
      : null;
  return (
    <form className="form form--wide" noValidate onSubmit={onSubmit}>
      <p className="card__text">Confirm it is you. Without two-step sign-in, your password alone opens your account.</p>
      <PasswordField label="Password" value={password} onChange={setPassword} error={errors.password} inputRef={passwordRef} />
      <TextField
        label="Authentication code"
        hint="6 digits from your app, or a recovery code."
        name="code"
        autoComplete="one-time-code"
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={errors.code}
      />
      <ErrorNotice message={otherError} />
      <div className="card__actions">
        <ActionButton type="submit" variant="danger" className="button--inline" isPending={disable.isPending} pendingLabel="Turning off…">
          Turn off
        </ActionButton>
        <button type="button" className="button button--secondary button--inline" onClick={() => setIsDisabling(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
