import { useMe } from '../auth/use-me.js';
import { PageOutlet } from '../../shared/page-heading.js';
import { usePortal } from '../portal-context.js';
import { PortalFooter } from './portal-footer.js';
import { PortalHeader } from './portal-header.js';

/**
 * The page frame of every route: branded header, the page, footer. Same classes and structure as
 * the server-rendered frame (portal-shell.html.ts), so nothing moves when React takes over.
 */
export function PortalLayout() {
  const portal = usePortal();
  const me = useMe();
  return (
    <div className="portal">
      <PortalHeader name={portal.name} logoUrl={portal.logoUrl} homeHref={`${portal.basePath}/`} me={me.data ?? null} />
      <main className="portal-main" id="main">
        <PageOutlet />
      </main>
      <PortalFooter name={portal.name} />
    </div>
  );
}
