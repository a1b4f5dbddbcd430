import type { ReactNode } from 'react';
import { useAppKit } from './app-kit.js';
import { LiveStatus } from './form-controls.js';
import { PageHeading, usePageTitle } from './page-heading.js';

/**
 * What a page shows while its code or first data loads: a quiet placeholder of the page's shape,
 * busy for assistive technology, with no heading of its own (the page's h1 takes the focus when
 * it arrives).
 */
export function PageLoading() {
  return (
    <div className="page" aria-busy="true">
      <div className="page-loading" aria-hidden="true">
        <span className="skeleton skeleton--heading" />
        <span className="skeleton skeleton--block" />
        <span className="skeleton skeleton--block skeleton--short" />
      </div>
      <LiveStatus>Loading…</LiveStatus>
    </div>
  );
}

/**
 * A whole-page card with a heading, a sentence and actions: not found, errors, refused or
 * switched-off pages. The portal draws an icon above the heading; the team app has none.
 */
export function MessageCard(props: {
  /** The heading's id, which names the card; without it the card is a plain section. */
  id?: string;
  pageTitle: string;
  icon?: ReactNode;
  title: string;
  text: ReactNode;
  isAlert?: boolean;
  actions: ReactNode;
}) {
  const { card } = useAppKit();
  usePageTitle(props.pageTitle);
  return (
    <section className={card.section} aria-labelledby={props.id}>
      {props.icon ? (
        <div className={card.icon} aria-hidden="true">
          {props.icon}
        </div>
      ) : null}
      <PageHeading id={props.id} className={card.title}>
        {props.title}
      </PageHeading>
      <p className={card.text} role={props.isAlert ? 'alert' : undefined}>
        {props.text}
      </p>
      {props.actions ? <div className={card.actions}>{props.actions}</div> : null}
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
  const { card } = useAppKit();
  return (
    <MessageCard
      id="load-error-title"
      pageTitle="Something went wrong"
      icon={card.errorIcon}
      title={props.title ?? 'This page could not load'}
      text={props.message}
      isAlert
      actions={
        <>
          <button type="button" className={card.button} onClick={props.onRetry} aria-disabled={props.isRetrying || undefined}>
            {props.isRetrying ? 'Trying again…' : 'Try again'}
          </button>
          {props.extraActions}
        </>
      }
    />
  );
}
