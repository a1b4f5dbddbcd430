import type { ReactNode } from 'react';

/** Rows of grey bars while a list's first page loads (the inbox, the clients). */
export function ListSkeleton({ rows }: { rows: number }) {
  return (
    <div className="inbox-skeleton" aria-hidden="true">
      {Array.from({ length: rows }, (_, index) => (
        <span key={index} className="skeleton inbox-skeleton__row" />
      ))}
    </div>
  );
}

/** A list whose first page failed: the message, and a way to try again where the page offers one. */
export function ListError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="card empty" role="alert">
      <p className="card__text">{message}</p>
      {onRetry ? (
        <button type="button" className="button button--secondary button--inline" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** An empty list: what is (not) there, and an action to widen it if there is one. */
export function ListEmpty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="card empty">
      <p className="empty__title">{title}</p>
      {children}
    </div>
  );
}
