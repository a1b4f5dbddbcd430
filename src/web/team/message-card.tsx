import type { ReactNode } from 'react';
import { PageHeading, usePageTitle } from './page-heading.js';

/** A whole-page card with a heading, a sentence and actions: not found, errors, refused pages. */
export function MessageCard(props: {
  id: string;
  pageTitle: string;
  title: string;
  text: ReactNode;
  isAlert?: boolean;
  actions: ReactNode;
}) {
  usePageTitle(props.pageTitle);
  return (
    <section className="card card--message" aria-labelledby={props.id}>
      <PageHeading id={props.id} className="card__title">
        {props.title}
      </PageHeading>
      <p className="card__text" role={props.isAlert ? 'alert' : undefined}>
        {props.text}
      </p>
      {props.actions ? <div className="card__actions">{props.actions}</div> : null}
    </section>
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
      title={props.title ?? 'This page could not load'}
      text={props.message}
      isAlert
      actions={
        <>
          <button
            type="button"
            className="button button--primary button--inline"
            onClick={props.onRetry}
            aria-disabled={props.isRetrying || undefined}
          >
            {props.isRetrying ? 'Trying again…' : 'Try again'}
          </button>
          {props.extraActions}
        </>
      }
    />
  );
}
