import { useContext, useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { messageOf } from '../../shared/api-client.js';
import { AppLoading } from '../app-loading.js';
import { preloadSignedInPages } from '../lazy-pages.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { AppKitContext } from '../../shared/app-kit.js';
import { OrganisationContext, teamKit } from '../team-bootstrap.js';
import { canManageSettings, useSession, type TeamRole } from './use-session.js';
import { safeNextPath } from '../lib/next-path.js';

const RELOAD_KEY = 'servelo-team-reloaded-for';

/**
 * The pages only a signed-in team member sees. Without a session (never had one, signed out in
 * another tab, any request answered 401) the person goes to the sign-in form, which brings them
 * back here afterwards.
 */
export function SignedInRoute() {
  const session = useSession();
  const location = useLocation();
  const organisation = useContext(OrganisationContext);
  const tenantId = session.data?.tenant.id;
  // The page was loaded for no organisation or another one (signed in or switched since): load it
  // once more, so dates, money and everything cached belong to the organisation now open. Once
  // only: should the page still not name it, the browser's own zone and locale stand in.
  const isStale = tenantId !== undefined && organisation.formats?.tenantId !== tenantId;
  const willReload = isStale && sessionStorage.getItem(RELOAD_KEY) !== tenantId;
  useEffect(() => {
    if (willReload && tenantId) {
      sessionStorage.setItem(RELOAD_KEY, tenantId);
      window.location.reload();
    } else if (tenantId) {
      preloadSignedInPages();
    }
  }, [willReload, tenantId]);
  if (session.data && !willReload) {
    if (!isStale) return <Outlet />;
    const fallback = {
      tenantId: session.data.tenant.id,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      locale: navigator.language,
      currency: 'USD',
    };
    return (
      <OrganisationContext.Provider value={{ formats: fallback, setFormats: organisation.setFormats }}>
        <AppKitContext.Provider value={teamKit(fallback)}>
          <Outlet />
        </AppKitContext.Provider>
      </OrganisationContext.Provider>
    );
  }
  if (session.data === null) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.isError) {
    return <LoadErrorCard message={messageOf(session.error)} onRetry={() => void session.refetch()} isRetrying={session.isFetching} />;
  }
  return <AppLoading />;
}

/** The sign-in pages: someone already signed in goes straight to where they were going. */
export function SignedOutRoute() {
  const session = useSession();
  const location = useLocation();
  if (session.data) return <Navigate to={safeNextPath(new URLSearchParams(location.search).get('next'))} replace />;
  if (session.data === null || session.isError) return <Outlet />;
  return <AppLoading />;
}

/**
 * Pages for owners and admins (settings, the team). The server refuses agents too (403); this
 * only spares them a page of errors. Audit is owners-only and checked on its own page.
 */
export function RoleRoute({ atLeast }: { atLeast: Exclude<TeamRole, 'agent'> }) {
  const session = useSession();
  const role = session.data?.member.role;
  const allowed = role !== undefined && (atLeast === 'owner' ? role === 'owner' : canManageSettings(role));
  if (allowed) return <Outlet />;
  return (
    <MessageCard
      id="forbidden-title"
      pageTitle="Not available"
      title="Settings are for owners and admins"
      text="Your role in this organisation does not include settings. Ask an owner or admin if something needs to change."
      actions={null}
    />
  );
}
