import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import type { TLinkInfoResponse } from '../../../features/auth/portal-auth.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../../shared/form-controls.js';
import { AlertIcon, SignInIcon } from '../layout/icons.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import { LinkProblemCard } from './link-problem-card.js';
import { readLinkToken, removeFragmentFromAddressBar } from '../lib/link-token.js';
import { linkInfoQueryKey, useLinkInfo } from './use-link-info.js';
import { toLandingPath, useConfirmLink } from './use-sign-in.js';

/**
 * Where the emailed link lands. Opening it only READS the link (state, masked email); the link is
 * spent by the "Sign in" button and nothing else, so a mail scanner that opens the page, runs its
 * scripts and even waits can neither sign in nor burn the link (SECURITY.md §1).
 */
export function ConfirmLinkPage() {
  // Read once, before the fragment is removed below; kept in memory for this page only.
  const [token] = useState(() => readLinkToken(window.location.hash));
  useEffect(removeFragmentFromAddressBar, []);
  const info = useLinkInfo(token);

  if (token === null) return <LinkProblemCard state="invalid" token={null} />;
  if (info.isPending) return <CheckingLinkCard />;
  if (info.isError) return <LinkInfoErrorCard message={messageOf(info.error)} onRetry={() => void info.refetch()} />;
  if (info.data.state === 'signed_in') return <Navigate to={toLandingPath(info.data.landingPath ?? '/')} replace />;
  if (info.data.state === 'valid' && info.data.maskedEmail) return <ConfirmCard token={token} info={info.data} />;
  return <LinkProblemCard state={info.data.state === 'valid' ? 'invalid' : info.data.state} token={token} />;
}

function ConfirmCard({ token, info }: { token: string; info: TLinkInfoResponse }) {
  const { name } = usePortal();
  usePageTitle('Confirm sign-in');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const confirm = useConfirmLink();
  const maskedEmail = info.maskedEmail ?? '';

  const onConfirm = () =>
    confirm.mutate(token, {
      onSuccess: ({ landingPath }) => void navigate(toLandingPath(landingPath), { replace: true }),
      onError: (failure) => {
        // Used or expired between opening and pressing: show that page instead of a bare error.
        if (failure instanceof ApiError && failure.code === 'LINK_INVALID') {
          void queryClient.invalidateQueries({ queryKey: linkInfoQueryKey(token) });
        }
      },
    });
  const failure = confirm.error instanceof ApiError && confirm.error.code === 'LINK_INVALID' ? null : confirm.error;

  return (
    <section className="portal-card" aria-labelledby="confirm-title">
      <div className="portal-card__icon" aria-hidden="true">
        <SignInIcon />
      </div>
      <PageHeading id="confirm-title">
        Sign in to {name} as <span className="portal-card__email">{maskedEmail}?</span>
      </PageHeading>
      {info.signedInAs ? (
        <p className="notice notice--info">
          You are signed in as <strong>{info.signedInAs}</strong> in this browser. Continue as <strong>{maskedEmail}</strong>?
        </p>
      ) : (
        <p className="portal-card__text">Press the button to finish signing in on this device.</p>
      )}
      <div className="portal-actions">
        <ActionButton isPending={confirm.isPending} pendingLabel="Signing in…" onClick={onConfirm}>
          Sign in
        </ActionButton>
      </div>
      <LiveStatus>{confirm.isPending ? 'Signing you in…' : ''}</LiveStatus>
      <ErrorNotice message={failure ? messageOf(failure) : null} />
    </section>
  );
}

function CheckingLinkCard() {
  usePageTitle('Checking your link');
  return (
    <section className="portal-card" aria-labelledby="checking-title" aria-busy="true">
      <div className="portal-card__icon" aria-hidden="true">
        <SignInIcon />
      </div>
      <PageHeading id="checking-title">Checking your sign-in link…</PageHeading>
      <p className="portal-card__text" role="status">
        This takes a moment.
      </p>
    </section>
  );
}

function LinkInfoErrorCard({ message, onRetry }: { message: string; onRetry: () => void }) {
  usePageTitle('Sign-in link');
  return (
    <section className="portal-card" aria-labelledby="link-error-title">
      <div className="portal-card__icon" aria-hidden="true">
        <AlertIcon />
      </div>
      <PageHeading id="link-error-title">We could not check this link</PageHeading>
      <p className="portal-card__text" role="alert">
        {message}
      </p>
      <div className="portal-actions">
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </section>
  );
}
