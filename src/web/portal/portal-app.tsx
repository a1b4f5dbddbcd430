import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { CheckEmailPage } from './auth/check-email-page.js';
import { CodePage } from './auth/code-page.js';
import { ConfirmLinkPage } from './auth/confirm-link-page.js';
import { HomePage } from './home-page.js';
import { NotFoundPage } from './not-found-page.js';
import type { PortalBootstrap } from './portal-bootstrap.js';
import { PortalContext } from './portal-context.js';
import { PortalLayout } from './portal-layout.js';

/**
 * The portal web app. Routes are relative to the portal's base path (`/portal/{slug}`, or the
 * root of a custom domain); the server serves the same branded shell for every path below it.
 */
export function PortalApp({ portal }: { portal: PortalBootstrap }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // Failures are shown with their own message and a way to try again; silent retries of a
        // 4xx only delay that, and refetching on focus would re-run sign-in checks unasked.
        defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } },
      }),
  );
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
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
      { basename: portal.basePath || '/' },
    ),
  );
  return (
    <PortalContext.Provider value={portal}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </PortalContext.Provider>
  );
}
