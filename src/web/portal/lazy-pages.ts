import { lazy } from 'react';

/**
 * The signed-in pages, each its own chunk: a visitor who only signs in never downloads them, and
 * the first load of `/` fetches the list page alone (in parallel with the session check, see
 * HomePage). The others are fetched while the browser is idle once the list is on screen, so
 * opening a ticket does not wait for its code.
 */
export const loadTicketListPage = () => import('./tickets/ticket-list-page.js');
const loadTicketPage = () => import('./tickets/ticket-page.js');
const loadNewTicketPage = () => import('./tickets/new-ticket-page.js');
const loadProfilePage = () => import('./profile/profile-page.js');
const loadQuoteListPage = () => import('./quotes/quote-list-page.js');
const loadQuotePage = () => import('./quotes/quote-page.js');
const loadCheckEmailPage = () => import('./auth/check-email-page.js');
const loadCodePage = () => import('./auth/code-page.js');
const loadConfirmLinkPage = () => import('./auth/confirm-link-page.js');

export const TicketListPage = lazy(() => loadTicketListPage().then((m) => ({ default: m.TicketListPage })));
export const TicketPage = lazy(() => loadTicketPage().then((m) => ({ default: m.TicketPage })));
export const NewTicketPage = lazy(() => loadNewTicketPage().then((m) => ({ default: m.NewTicketPage })));
export const ProfilePage = lazy(() => loadProfilePage().then((m) => ({ default: m.ProfilePage })));
export const QuoteListPage = lazy(() => loadQuoteListPage().then((m) => ({ default: m.QuoteListPage })));
export const QuotePage = lazy(() => loadQuotePage().then((m) => ({ default: m.QuotePage })));
export const CheckEmailPage = lazy(() => loadCheckEmailPage().then((m) => ({ default: m.CheckEmailPage })));
export const CodePage = lazy(() => loadCodePage().then((m) => ({ default: m.CodePage })));
export const ConfirmLinkPage = lazy(() => loadConfirmLinkPage().then((m) => ({ default: m.ConfirmLinkPage })));

/** Fetches the other signed-in pages when the browser has nothing better to do. */
export function preloadSignedInPages(): void {
  const preload = () => {
    for (const load of [loadTicketPage, loadNewTicketPage, loadProfilePage, loadQuoteListPage, loadQuotePage])
      void load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(preload, { timeout: 3000 });
  else setTimeout(preload, 1000);
}

/** The sign-in form leads to these; fetched when the form is shown, before anyone presses a button. */
export function preloadSignInPages(): void {
  for (const load of [loadCheckEmailPage, loadCodePage]) void load().catch(() => undefined);
}
