import type { PortalBootstrap } from './portal-bootstrap.js';
import { PortalFooter } from './portal-footer.js';
import { PortalHeader } from './portal-header.js';
import { WelcomeCard } from './welcome-card.js';

/** The portal's page frame: branded header, the current page, footer. Pages and routing come later. */
export function PortalApp({ portal }: { portal: PortalBootstrap }) {
  return (
    <div className="portal">
      <PortalHeader name={portal.name} logoUrl={portal.logoUrl} homeHref={`${portal.basePath}/`} />
      <main className="portal-main" id="main">
        <WelcomeCard name={portal.name} />
      </main>
      <PortalFooter name={portal.name} />
    </div>
  );
}
