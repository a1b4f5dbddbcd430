import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { ApiError } from '../shared/api-client.js';
import { AppKitContext, type AppKit } from '../shared/app-kit.js';
import { LiveStatus } from '../shared/form-controls.js';
import * as pages from './lazy-pages.js';
import { OperatorLayout } from './operator-layout.js';
import { setSignedOut, useOperatorSession } from './use-operator-session.js';

function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHENTICATED') setSignedOut(queryClient);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: true, staleTime: 15_000 }, mutations: { retry: false } },
  });
  return queryClient;
}

/** The shared kit drawn the team app's way; dates in the operator's own browser locale and zone. */
const OPERATOR_KIT: AppKit = {
  apiBase: '/api/operator',
  titleOf: (page) => (page ? `${page} · Servelo operator` : 'Servelo operator'),
  scrollToHeading: false,
  headingClass: 'page-title',
  card: {
    section: 'card card--message',
    icon: 'card__icon',
    title: 'card__title',
    text: 'card__text',
    actions: 'card__actions',
    button: 'button button--primary button--inline',
  },
  formats: { locale: navigator.language || 'en-US', timeZone: null },
};

export function AppLoading() {
  return (
    <div className="boot" aria-busy="true">
      <p className="boot__brand">Servelo operator console</p>
      <p className="boot__text">Loading…</p>
      <LiveStatus>Loading…</LiveStatus>
    </div>
  );
}

/** Pages of a fully signed-in operator; anyone else (signed out, or TOTP still to set up) goes to sign-in. */
function SignedInRoute() {
  const session = useOperatorSession();
  const location = useLocation();
  if (session.isPending) return <AppLoading />;
  if (!session.data || session.data.stage !== 'signed_in') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

/**
 * The operator console at `/operator`: sign-in (password, then the authenticator's code, or its
 * enrolment on the first sign-in), the organisations and the installation's settings.
 */
export function OperatorApp() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() =>
    createBrowserRouter(
      [
        {
          element: <OperatorLayout />,
          children: [
            {
              path: 'sign-in',
              element: <pages.SignInPage />,
            },
            {
              element: <SignedInRoute />,
              children: [
                { index: true, element: <Navigate to="/tenants" replace /> },
                { path: 'tenants', element: <pages.TenantsPage /> },
                { path: 'tenants/new', element: <pages.NewTenantPage /> },
                { path: 'tenants/:id', element: <pages.TenantPage /> },
                { path: 'domains', element: <pages.DomainsPage /> },
                { path: 'settings', element: <pages.SettingsPage /> },
                { path: 'audit', element: <pages.AuditPage /> },
              ],
            },
            { path: '*', element: <Navigate to="/tenants" replace /> },
          ],
        },
      ],
      { basename: '/operator' },
    ),
  );
  return (
    <AppKitContext.Provider value={OPERATOR_KIT}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </AppKitContext.Provider>
  );
}
