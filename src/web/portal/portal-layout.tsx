import { useState } from 'react';
import { Outlet, useLocation } from 'react-router';
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
  const { key } = useLocation();
  const [focus] = useState<HeadingFocusState>(() => ({ lastKey: key, hasNavigated: false, handledKey: null }));
  // Noted during render (idempotent) because child effects run before the layout's own effects,
  // and the new page's heading must already know that this render is a navigation.
  if (focus.lastKey !== key) {
    focus.lastKey = key;
    focus.hasNavigated = true;
  }
  return (
    <div className="portal">
      <PortalHeader name={portal.name} logoUrl={portal.logoUrl} homeHref={`${portal.basePath}/`} />
      <main className="portal-main" id="main">
        <HeadingFocusContext.Provider value={focus}>
          <Outlet />
        </HeadingFocusContext.Provider>
      </main>
      <PortalFooter name={portal.name} />
    </div>
  );
}
