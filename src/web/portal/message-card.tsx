import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { AlertIcon } from './icons.js';
import { PageHeading, usePageTitle } from './page-heading.js';

/** A whole-page card with an icon, a heading, a sentence and actions: not-found, errors, switched-off features. */
export function MessageCard(props: {
  id: string;
  pageTitle: string;
  icon: ReactNode;
  title: string;
  text: ReactNode;
  isAlert?: boolean;
  actions: ReactNode;
}) {
  usePageTitle(props.pageTitle);
  return (
    <section className="portal-card" aria-labelledby={props.id}>
      <div className="portal-card__icon" aria-hidden="true">
        {props.icon}
      </div>
      <PageHeading id={props.id}>{props.title}</PageHeading>
      <p className="portal-card__text" role={props.isAlert ? 'alert' : undefined}>
        {props.text}
      </p>
      <div className="portal-actions">{props.actions}</div>
    </section>
  );
}

export function BackToRequestsLink({ primary = true }: { primary?: boolean }) {
  return (
    <Link className={`button ${primary ? 'button--primary' : 'button--secondary'}`} to="/">
      Back to your requests
    </Link>
  );
}

/** A page whose first request failed (not a 401: that is the sign-in form): the message and a retry. */
export function LoadErrorCard(props: {
  message: string;
  onRetry: () => void;
  isRetrying: boolean;
  title?: string;
  extraActions?: ReactNode;
}) {
  return (
    <MessageCard
      id="load-error-title"
      pageTitle="Something went wrong"
      icon={<AlertIcon />}
      title={props.title ?? 'This page could not load'}
      text={props.message}
      isAlert
      actions={
        <>
          <button type="button" className="button button--primary" onClick={props.onRetry} aria-disabled={props.isRetrying || undefined}>
            {props.isRetrying ? 'Trying again…' : 'Try again'}
          </button>
          {props.extraActions}
        </>
      }
    />
  );
}
