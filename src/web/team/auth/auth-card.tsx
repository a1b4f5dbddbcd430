import { useEffect, useState, type ReactNode } from 'react';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';

/** The narrow centred card of the sign-in, password and invitation pages. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  usePageTitle(title);
  return (
    <section className="auth-card" aria-labelledby="auth-title">
      <PageHeading id="auth-title" className="auth-card__title">
        {title}
      </PageHeading>
      {intro ? <div className="auth-card__intro">{intro}</div> : null}
      {children}
    </section>
  );
}

/**
 * The `#token=…` of a link from an email, read once; the fragment then leaves the address bar and
 * the history entry (after the first render, so React's double render in development reads it too).
 */
export function useFragmentToken(): string {
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }, []);
  return token;
}
