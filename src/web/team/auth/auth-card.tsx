import type { ReactNode } from 'react';
import { PageHeading, usePageTitle } from '../page-heading.js';

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

/** Reads `#token=…` once and removes the fragment from the address bar and the history entry. */
export function takeFragmentToken(): string {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}
