import { AlertIcon } from './icons.js';
import { PageHeading, usePageTitle } from './page-heading.js';

/** A page whose first request failed (not a 401: that is the sign-in form): the message and a retry. */
export function LoadErrorCard({ message, onRetry, isRetrying }: { message: string; onRetry: () => void; isRetrying: boolean }) {
  usePageTitle('Something went wrong');
  return (
    <section className="portal-card" aria-labelledby="load-error-title">
      <div className="portal-card__icon" aria-hidden="true">
        <AlertIcon />
      </div>
      <PageHeading id="load-error-title">This page could not load</PageHeading>
      <p className="portal-card__text" role="alert">
        {message}
      </p>
      <div className="portal-actions">
        <button type="button" className="button button--primary" onClick={onRetry} aria-disabled={isRetrying || undefined}>
          {isRetrying ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    </section>
  );
}
