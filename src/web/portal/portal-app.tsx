import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from '../shared/api-client.js';
import { AppKitContext, type AppKit } from '../shared/app-kit.js';
import { SignedInRoute } from './auth/signed-in-route.js';
import { setSignedOut } from './auth/use-me.js';
import { HomePage } from './home-page.js';
import { AlertIcon } from './layout/icons.js';
import {
  CheckEmailPage,
  CodePage,
  ConfirmLinkPage,
  NewTicketPage,
  ProfilePage,
  QuoteListPage,
  QuotePage,
  TicketPage,
} from './lazy-pages.js';
import { NotFoundPage } from './not-found-page.js';
import type { PortalBootstrap } from './portal-bootstrap.js';
import { PortalContext } from './portal-context.js';
import { PortalLayout } from './layout/portal-layout.js';

/**
 * The client of the portal's queries. A 401 from ANY request means the session is gone (expired,
 * signed out elsewhere, revoked by the organisation): everything the previous customer loaded is
 * dropped and `me` becomes null, which sends every signed-in page back to the sign-in form.
 */
function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) setSignedOut(queryClient);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    // Failures are shown with their own message and a way to try again; silent retries of a
    // 4xx only delay that, and refetching on focus would re-run sign-in checks unasked.
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } },
  });
  return queryClient;
}

/** The shared kit as the portal draws it: titles name the organisation, cards carry an icon, dates are in the browser's zone. */
function portalKit(portal: PortalBootstrap): AppKit {
  return {
    apiBase: `${portal.basePath}/api`,
    titleOf: (page) => (page ? `${page} · ${portal.name}` : portal.name),
    scrollToHeading: true,
    headingClass: 'portal-card__title',
    card: {
      section: 'portal-card',
      icon: 'portal-card__icon',
      text: 'portal-card__text',
      actions: 'portal-actions',
      button: 'button button--primary',
      errorIcon: <AlertIcon />,
    },
    formats: { locale: portal.locale, timeZone: null },
  };
}

/**
 * The portal web app. Routes are relative to the portal's base path (`/portal/{slug}`, or the
 * root of a custom domain); the server serves the same branded shell for every path below it.
 * Pages other than `/` are separate chunks (lazy-pages.ts), so the first load stays small.
 */
export function PortalApp({ portal }: { portal: PortalBootstrap }) {
  const [queryClient] = useState(createQueryClient);
  const kit = useMemo(() => portalKit(portal), [portal]);
  const [router] = useState(() =>
    createBrowserRouter(
      [
        {
          element: <PortalLayout />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'sign-in/check-email', element: <CheckEmailPage /> },
            { path: 'sign-in/code', element: <CodePage /> },
            { path: 'auth/confirm', element: <ConfirmLinkPage /> },
            {
              element: <SignedInRoute />,
              children: [
                { path: 'tickets/new', element: <NewTicketPage /> },
                { path: 'tickets/:id', element: <TicketPage /> },
                { path: 'profile', element: <ProfilePage /> },
                // `/quotes/{id}` is also where an emailed quote link lands after "Sign in".
                { path: 'quotes', element: <QuoteListPage /> },
                { path: 'quotes/:id', element: <QuotePage /> },
              ],
            },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
      { basename: portal.basePath || '/' },
    ),
  );
  return (
    <PortalContext.Provider value={portal}>
      <AppKitContext.Provider value={kit}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AppKitContext.Provider>
    </PortalContext.Provider>
  );
}
