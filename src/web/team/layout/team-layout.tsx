import { Suspense, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/use-session.js';
import { PageLoading } from '../app-loading.js';
import { HeadingFocusContext, type HeadingFocusState } from '../page-heading.js';
import { TeamHeader } from './team-header.js';

/**
 * The frame of every page: a skip link, the header (organisation, switcher, navigation and the
 * signed-in person, or just the product name when nobody is signed in) and the page.
 */
export function TeamLayout() {
  const session = useSession();
  const { pathname } = useLocation();
  const [focus] = useState<HeadingFocusState>(() => ({ lastKey: pathname, hasNavigated: false, handledKey: null }));
  // Noted during render (idempotent): the new page's heading must already know this is a navigation.
  if (focus.lastKey !== pathname) {
    focus.lastKey = pathname;
    focus.hasNavigated = true;
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TeamHeader session={session.data ?? null} />
      <main className="app-main" id="main" tabIndex={-1}>
        <HeadingFocusContext.Provider value={focus}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </HeadingFocusContext.Provider>
      </main>
    </div>
  );
}
