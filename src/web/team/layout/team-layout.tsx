import { useSession } from '../auth/use-session.js';
import { PageOutlet } from '../../shared/page-heading.js';
import { TeamHeader } from './team-header.js';

/**
 * The frame of every page: a skip link, the header (organisation, switcher, navigation and the
 * signed-in person, or just the product name when nobody is signed in) and the page.
 */
export function TeamLayout() {
  const session = useSession();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TeamHeader session={session.data ?? null} />
      <main className="app-main" id="main" tabIndex={-1}>
        <PageOutlet />
      </main>
    </div>
  );
}
