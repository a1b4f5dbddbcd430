import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { TOperatorSession } from '../../features/operator/operator-auth.schemas.js';
import { ApiError, messageOf } from '../shared/api-client.js';
import { ActionButton, EmailField, ErrorNotice, LiveStatus, TextField } from '../shared/form-controls.js';
import { AuthCard } from '../team/auth/auth-card.js';
import { lockoutMessage } from '../team/auth/lockout.js';
import { PasswordField } from '../team/auth/password-field.js';
import { RecoveryCodes } from '../team/auth/recovery-codes.js';
import { operatorApi } from './operator-api.js';
import { setSignedIn, useOperatorSession } from './use-operator-session.js';

/**
 * `/operator/sign-in`: email and password, then the authenticator's code. On the first sign-in the
 * operator has no authenticator yet: the page shows the QR code and the secret, confirms a code,
 * and shows the recovery codes once — the console opens only after that.
 */
export function SignInPage() {
  const session = useOperatorSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  if (recoveryCodes) {
    return (
      <AuthCard title="Save your recovery codes">
        <RecoveryCodes codes={recoveryCodes} onDone={() => void navigate('/tenants', { replace: true })} />
      </AuthCard>
    );
  }
  if (session.data?.stage === 'enrol_totp') {
    return (
      <EnrolTotp
        email={session.data.operator.email}
        onEnrolled={(result) => {
          setSignedIn(queryClient, { operator: result.operator, stage: result.stage });
          setRecoveryCodes(result.recoveryCodes);
        }}
      />
    );
  }
  if (session.data?.stage === 'signed_in') return <AlreadySignedIn />;
  return <PasswordStep />;
}

function AlreadySignedIn() {
  const navigate = useNavigate();
  useEffect(() => void navigate('/tenants', { replace: true }), [navigate]);
  return null;
}

type Step = 'password' | 'code';

function PasswordStep() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
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
    mutationFn: (input: { email: string; password: string; totp?: string }) => operatorApi.post<TOperatorSession>('auth/sign-in', input),
    onSuccess: (session) => {
      setSignedIn(queryClient, session);
      if (session.stage === 'signed_in') void navigate('/tenants', { replace: true });
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
      title={step === 'password' ? 'Operator sign-in' : 'Two-step sign-in'}
      intro={
        step === 'code' ? (
          <p>
            Enter the 6-digit code from your authenticator app for <strong>{email.trim()}</strong>, or a recovery code.
          </p>
        ) : (
          <p>
            For the operators of this Servelo installation. Operators are added on the server with <code>servelo operator add</code>.
          </p>
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
        <LiveStatus>{signIn.isPending ? 'Signing in…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}

interface Enrolled extends TOperatorSession {
  readonly recoveryCodes: string[];
}

/** First sign-in: set up the authenticator app (QR code or the secret typed in) and confirm a code. */
function EnrolTotp({ email, onEnrolled }: { email: string; onEnrolled: (result: Enrolled) => void }) {
  const [setup, setSetup] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => operatorApi.post<{ secret: string; qrSvg: string; otpauthUrl: string }>('auth/totp/setup'),
    onSuccess: (result) => setSetup(result),
    onError: (failure) => setError(messageOf(failure)),
  });
  const confirm = useMutation({
    mutationFn: () => operatorApi.post<Enrolled>('auth/totp/confirm', { code: code.trim() }),
    onSuccess: onEnrolled,
    onError: (failure) => setError(messageOf(failure)),
  });
  const { mutate: startSetup } = start;
  useEffect(() => startSetup(), [startSetup]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm.isPending) return;
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) return setError('Enter the 6-digit code your authenticator app shows.');
    setError(null);
    confirm.mutate();
  };

  return (
    <AuthCard
      title="Set up two-step sign-in"
      intro={
        <p>
          Operators always sign in with a code from an authenticator app. Scan this QR code with the app for <strong>{email}</strong>, then
          enter the code it shows.
        </p>
      }
    >
      {setup ? (
        <div className="totp-setup">
          {/* The server's SVG (from a QR library, no scripts); an image so its markup is never live. */}
          <img
            className="totp-setup__qr"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`}
            alt="QR code for your authenticator app"
          />
          <p className="muted">
            Cannot scan? Type this key in the app: <code className="totp-setup__secret">{setup.secret}</code>
          </p>
        </div>
      ) : (
        <p className="muted">Preparing…</p>
      )}
      <form className="form" noValidate onSubmit={onSubmit}>
        <TextField
          label="Code from the app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={error ?? undefined}
        />
        <ActionButton type="submit" isPending={confirm.isPending} pendingLabel="Checking…">
          Turn on and continue
        </ActionButton>
        <LiveStatus>{confirm.isPending ? 'Checking…' : ''}</LiveStatus>
      </form>
    </AuthCard>
  );
}
