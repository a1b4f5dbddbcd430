import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, EmailField, LiveStatus, TextField } from '../../shared/form-controls.js';
import { CodeIcon } from '../layout/icons.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { toLandingPath, useSignInWithCode } from './use-sign-in.js';
import { codeProblem, emailProblem, normalizeCode } from '../lib/validate-sign-in.js';

function emailFromState(state: unknown): string {
  const email = (state as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email : '';
}

/**
 * Signing in on another device: the email address and the 8-character code from the sign-in
 * email. A wrong code keeps both fields as typed, so only the code needs correcting.
 */
export function CodePage() {
  usePageTitle('Enter your code');
  const location = useLocation();
  const navigate = useNavigate();
  const signIn = useSignInWithCode();
  const [email, setEmail] = useState(() => emailFromState(location.state));
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ email: string | null; code: string | null }>({ email: null, code: null });
  const emailRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const address = email.trim();
    const normalized = normalizeCode(code);
    const found = { email: emailProblem(address), code: codeProblem(normalized) };
    setErrors(found);
    if (found.email || found.code) {
      (found.email ? emailRef : codeRef).current?.focus();
      return;
    }
    signIn.mutate(
      { email: address, code: normalized },
      {
        onSuccess: ({ landingPath }) => void navigate(toLandingPath(landingPath), { replace: true }),
        onError: (failure) => {
          const onEmail = failure instanceof ApiError && failure.details.some((d) => d.path === 'email');
          setErrors(onEmail ? { email: messageOf(failure), code: null } : { email: null, code: messageOf(failure) });
          (onEmail ? emailRef : codeRef).current?.focus();
        },
      },
    );
  };

  return (
    <section className="portal-card" aria-labelledby="code-title">
      <div className="portal-card__icon" aria-hidden="true">
        <CodeIcon />
      </div>
      <PageHeading id="code-title">Enter your code</PageHeading>
      <p className="portal-card__text">Type the 8-character code from your sign-in email to sign in on this device.</p>
      <form className="portal-form" noValidate onSubmit={onSubmit}>
        <EmailField ref={emailRef} value={email} onChange={(event) => setEmail(event.target.value)} error={errors.email} />
        <TextField
          ref={codeRef}
          label="Code"
          hint="8 letters and numbers, like ABCD-EFGH"
          type="text"
          name="code"
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={24}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.code}
        />
        <ActionButton type="submit" isPending={signIn.isPending} pendingLabel="Signing in…">
          Sign in
        </ActionButton>
        <LiveStatus>{signIn.isPending ? 'Signing you in…' : ''}</LiveStatus>
        <p className="portal-form__alt">
          <Link to="/">Email me a new sign-in link</Link>
        </p>
      </form>
    </section>
  );
}
