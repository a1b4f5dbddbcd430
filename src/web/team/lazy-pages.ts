import { lazy } from 'react';

/**
 * Every page is its own chunk, so signing in does not download the inbox and the inbox does not
 * download the settings. Once someone is signed in, the pages they are likely to open next are
 * fetched while the browser is idle: opening a ticket must never wait for its code.
 */
const loadInboxPage = () => import('./inbox/inbox-page.js');
export const loadTicketPage = () => import('./tickets/ticket-page.js');
const loadNewTicketPage = () => import('./tickets/new-ticket-page.js');
const loadClientsPage = () => import('./clients/clients-page.js');
const loadClientPage = () => import('./clients/client-page.js');
const loadQuotesPage = () => import('./quotes/quotes-page.js');
const loadQuotePage = () => import('./quotes/quote-page.js');
const loadQuoteEditorPages = () => import('./quotes/quote-editor-pages.js');
const loadAccountPage = () => import('./auth/account-page.js');
const loadQuarantinePage = () => import('./inbound-mail/quarantine-page.js');
const loadSettingsLayout = () => import('./settings/settings-layout.js');
const loadOrganisationPage = () => import('./settings/organisation-page.js');
const loadPortalSettingsPage = () => import('./settings/portal-settings-page.js');
const loadNotificationsPage = () => import('./settings/notifications-page.js');
const loadTeamMembersPage = () => import('./settings/team-members-page.js');
const loadAuditLogPage = () => import('./settings/audit-log-page.js');
const loadSignInPage = () => import('./auth/sign-in-page.js');
const loadPasswordPages = () => import('./auth/password-pages.js');
const loadAcceptInvitePage = () => import('./auth/accept-invite-page.js');

export const InboxPage = lazy(() => loadInboxPage().then((m) => ({ default: m.InboxPage })));
export const TicketPage = lazy(() => loadTicketPage().then((m) => ({ default: m.TicketPage })));
export const NewTicketPage = lazy(() => loadNewTicketPage().then((m) => ({ default: m.NewTicketPage })));
export const ClientsPage = lazy(() => loadClientsPage().then((m) => ({ default: m.ClientsPage })));
export const ClientPage = lazy(() => loadClientPage().then((m) => ({ default: m.ClientPage })));
export const QuotesPage = lazy(() => loadQuotesPage().then((m) => ({ default: m.QuotesPage })));
export const QuotePage = lazy(() => loadQuotePage().then((m) => ({ default: m.QuotePage })));
export const NewQuotePage = lazy(() => loadQuoteEditorPages().then((m) => ({ default: m.NewQuotePage })));
export const EditQuotePage = lazy(() => loadQuoteEditorPages().then((m) => ({ default: m.EditQuotePage })));
export const QuarantinePage = lazy(() => loadQuarantinePage().then((m) => ({ default: m.QuarantinePage })));
export const AccountPage = lazy(() => loadAccountPage().then((m) => ({ default: m.AccountPage })));
export const SettingsLayout = lazy(() => loadSettingsLayout().then((m) => ({ default: m.SettingsLayout })));
export const OrganisationSettingsPage = lazy(() => loadOrganisationPage().then((m) => ({ default: m.OrganisationSettingsPage })));
export const PortalSettingsPage = lazy(() => loadPortalSettingsPage().then((m) => ({ default: m.PortalSettingsPage })));
export const NotificationSettingsPage = lazy(() => loadNotificationsPage().then((m) => ({ default: m.NotificationSettingsPage })));
export const TeamMembersPage = lazy(() => loadTeamMembersPage().then((m) => ({ default: m.TeamMembersPage })));
export const AuditLogPage = lazy(() => loadAuditLogPage().then((m) => ({ default: m.AuditLogPage })));
export const SignInPage = lazy(() => loadSignInPage().then((m) => ({ default: m.SignInPage })));
export const ForgotPasswordPage = lazy(() => loadPasswordPages().then((m) => ({ default: m.ForgotPasswordPage })));
export const ResetPasswordPage = lazy(() => loadPasswordPages().then((m) => ({ default: m.ResetPasswordPage })));
export const AcceptInvitePage = lazy(() => loadAcceptInvitePage().then((m) => ({ default: m.AcceptInvitePage })));

/** The pages a signed-in person opens next, fetched when the browser has nothing better to do. */
export function preloadSignedInPages(): void {
  const preload = () => {
    for (const load of [loadInboxPage, loadTicketPage, loadNewTicketPage, loadClientsPage, loadClientPage, loadQuotesPage, loadQuotePage])
      void load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(preload, { timeout: 2000 });
  else setTimeout(preload, 500);
}
