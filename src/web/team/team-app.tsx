import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { ApiError } from '../shared/api-client.js';
import { AppKitContext } from '../shared/app-kit.js';
import { RoleRoute, SignedInRoute, SignedOutRoute } from './auth/signed-in-route.js';
import { setSignedOut } from './auth/use-session.js';
import { TeamLayout } from './layout/team-layout.js';
import * as pages from './lazy-pages.js';
import { NotFoundPage } from './not-found-page.js';
import { OrganisationContext, readOrganisationFormats, teamKit, type OrganisationFormats } from './team-bootstrap.js';

/**
 * The client of the team app's queries. A 401 from ANY request means the session is gone
 * (expired, signed out elsewhere, member disabled): everything loaded is dropped and every
 * signed-in page goes to the sign-in form. A 403 is a role the server refuses; the page says so.
 */
function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    // Only "no session": a wrong password or code (SIGN_IN_FAILED, TOTP_*) is 401 too, and is the form's business.
    if (error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHENTICATED') setSignedOut(queryClient);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      // The team works in several tabs: coming back to one refreshes what it shows.
      queries: { retry: false, refetchOnWindowFocus: true, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}

/** `/app/tickets?…` is the inbox too (links from emails and bookmarks); the filters come along. */
function TicketsAlias() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/', search }} replace />;
}

/**
 * The team app at `/app`. Every page is its own chunk (lazy-pages.ts); the layout (header, nav)
 * is in the first load, so moving between pages never reloads the document.
 */
export function TeamApp() {
  const [queryClient] = useState(createQueryClient);
  const [formats, setFormats] = useState<OrganisationFormats | null>(readOrganisationFormats);
  const organisation = useMemo(() => ({ formats, setFormats }), [formats]);
  const kit = useMemo(() => teamKit(formats), [formats]);
  const [router] = useState(() =>
    createBrowserRouter(
      [
        {
          element: <TeamLayout />,
          children: [
            {
              element: <SignedOutRoute />,
              children: [
                { path: 'sign-in', element: <pages.SignInPage /> },
                { path: 'forgot-password', element: <pages.ForgotPasswordPage /> },
              ],
            },
            // Token pages work signed in or out (an invitation may be for a second organisation).
            { path: 'reset', element: <pages.ResetPasswordPage /> },
            { path: 'accept-invite', element: <pages.AcceptInvitePage /> },
            {
              element: <SignedInRoute />,
              children: [
                { index: true, element: <pages.InboxPage /> },
                { path: 'tickets', element: <TicketsAlias /> },
                { path: 'tickets/new', element: <pages.NewTicketPage /> },
                { path: 'tickets/:id', element: <pages.TicketPage /> },
                { path: 'clients', element: <pages.ClientsPage /> },
                { path: 'clients/:id', element: <pages.ClientPage /> },
                { path: 'quotes', element: <pages.QuotesPage /> },
                { path: 'quotes/new', element: <pages.NewQuotePage /> },
                { path: 'quotes/:id', element: <pages.QuotePage /> },
                { path: 'quotes/:id/edit', element: <pages.EditQuotePage /> },
                { path: 'quarantine', element: <pages.QuarantinePage /> },
                { path: 'account', element: <pages.AccountPage /> },
                {
                  path: 'settings',
                  element: <RoleRoute atLeast="admin" />,
                  children: [
                    {
                      element: <pages.SettingsLayout />,
                      children: [
                        { index: true, element: <Navigate to="organisation" replace /> },
                        { path: 'organisation', element: <pages.OrganisationSettingsPage /> },
                        { path: 'portal', element: <pages.PortalSettingsPage /> },
                        { path: 'notifications', element: <pages.NotificationSettingsPage /> },
                        { path: 'team', element: <pages.TeamMembersPage /> },
                        { path: 'audit', element: <pages.AuditLogPage /> },
                      ],
                    },
                  ],
                },
              ],
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
      { basename: '/app' },
    ),
  );
  return (
    <OrganisationContext.Provider value={organisation}>
      <AppKitContext.Provider value={kit}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AppKitContext.Provider>
    </OrganisationContext.Provider>
  );
}
