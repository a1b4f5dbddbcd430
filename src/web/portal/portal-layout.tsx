import { Suspense, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useMe } from './auth/use-me.js';
import { PageLoading } from './page-loading.js';
import { HeadingFocusContext, type HeadingFocusState } from './page-heading.js';
import { usePortal } from './portal-context.js';
import { PortalFooter } from './portal-footer.js';
import { PortalHeader } from './portal-header.js';

/**
 * The page frame of every route: branded header, the page, footer. Same classes and structure as
 * the server-rendered frame (portal-shell.html.ts), so nothing moves when React takes over.
 */
export function PortalLayout() {
  const portal = usePortal();
  const me = useMe();
  const { pathname } = useLocation();
  const [focus] = useState<HeadingFocusState>(() => ({ lastKey: pathname, hasNavigated: false, handledKey: null }));
  // Noted during render (idempotent) because child effects run before the layout's own effects,
  // and the new page's heading must already know that this render is a navigation. Only a new
  // PATH is a new page: a changed filter or search (`?status=closed&q=…`) keeps the focus where it is.
  if (focus.lastKey !== pathname) {
    focus.lastKey = pathname;
    focus.hasNavigated = true;
  }
  return (
    <div className="portal">
      <PortalHeader name={portal.name} logoUrl={portal.logoUrl} homeHref={`${portal.basePath}/`} me={me.data ?? null} />
      <main className="portal-main" id="main">
        <HeadingFocusContext.Provider value={focus}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </HeadingFocusContext.Provider>
      </main>
      <PortalFooter name={portal.name} />
    </div>
  );
}
