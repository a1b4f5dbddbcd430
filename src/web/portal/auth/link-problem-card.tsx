import type { JSX } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice } from '../../shared/form-controls.js';
import { AlertIcon, CheckCircleIcon, ClockIcon } from '../layout/icons.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { useResendLink } from './use-sign-in.js';

export type LinkProblem = 'used' | 'expired' | 'invalid';

const COPY: Record<LinkProblem, { title: string; text: string }> = {
  used: {
    title: 'This link has already been used',
    text: 'Each sign-in link works once. We can email you a new one.',
  },
  expired: {
    title: 'This link has expired',
    text: 'Sign-in links stop working after a while, or when a newer one is sent. We can email you a new one.',
  },
  invalid: {
    title: 'This link is not valid',
    text: 'The link may be incomplete. Open it again from the email, or ask for a new one with your email address.',
  },
};

const ICONS: Record<LinkProblem, () => JSX.Element> = { used: CheckCircleIcon, expired: ClockIcon, invalid: AlertIcon };

/**
 * A used, expired or unusable link: say which, kindly, and offer a new one. For a used or expired
 * link the server knows whom to send it to (the token names the contact; the answer is generic
 * either way); an invalid link names nobody, so the customer goes to the sign-in form instead.
 */
export function LinkProblemCard({ state, token }: { state: LinkProblem; token: string | null }) {
  const { title, text } = COPY[state];
  const Icon = ICONS[state];
  usePageTitle(title);
  return (
    <section className="portal-card" aria-labelledby="link-problem-title">
      <div className="portal-card__icon" aria-hidden="true">
        <Icon />
      </div>
      <PageHeading id="link-problem-title">{title}</PageHeading>
      <p className="portal-card__text">{text}</p>
      {state === 'invalid' || token === null ? (
        <div className="portal-actions">
          <Link className="button button--primary" to="/">
            Email me a new link
          </Link>
        </div>
      ) : (
        <ResendLink token={token} />
      )}
    </section>
  );
}

function ResendLink({ token }: { token: string }) {
  const resend = useResendLink();
  return (
    <>
      <div className="portal-actions">
        <ActionButton isPending={resend.isPending} pendingLabel="Sending…" onClick={() => resend.mutate(token)}>
          Email me a new link
        </ActionButton>
      </div>
      {/* Always present, so the answer is announced when it arrives. */}
      <div role="status" className="portal-status">
        {resend.isPending ? <span className="visually-hidden">Sending a new link…</span> : null}
        {resend.data ? <p className="notice notice--success">{resend.data.message}</p> : null}
      </div>
      <ErrorNotice message={resend.error ? messageOf(resend.error) : null} />
    </>
  );
}
