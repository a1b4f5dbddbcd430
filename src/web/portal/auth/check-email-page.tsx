import { Link, Navigate, useLocation } from 'react-router';
import { MailIcon } from '../layout/icons.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';

/** What the sign-in form hands to this page through the history entry (it survives a reload). */
export interface CheckEmailState {
  /** The server's generic answer, shown exactly: it is the same whether or not the address is known. */
  readonly message: string;
  readonly email: string;
}

function isCheckEmailState(value: unknown): value is CheckEmailState {
  const v = value as Partial<CheckEmailState> | null;
  return typeof v?.message === 'string' && typeof v.email === 'string';
}

/** After asking for a link: the server's message, the way to the code, and a way back. */
export function CheckEmailPage() {
  const { state } = useLocation() as { state: unknown };
  usePageTitle('Check your email');
  // Opened directly, without having asked for a link: there is nothing to wait for.
  if (!isCheckEmailState(state)) return <Navigate to="/" replace />;
  return (
    <section className="portal-card" aria-labelledby="check-email-title">
      <div className="portal-card__icon" aria-hidden="true">
        <MailIcon />
      </div>
      <PageHeading id="check-email-title">Check your email</PageHeading>
      <p className="portal-card__text portal-card__text--strong" data-testid="request-link-message">
        {state.message}
      </p>
      <p className="portal-card__text">The email has a button to sign in, and a code for signing in on another device.</p>
      <div className="portal-actions">
        <Link className="button button--primary" to="/sign-in/code" state={{ email: state.email }}>
          Have a code? Enter it here
        </Link>
        <Link className="button button--secondary" to="/">
          Use a different email
        </Link>
      </div>
    </section>
  );
}
