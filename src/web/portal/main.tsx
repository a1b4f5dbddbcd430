import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalApp } from './portal-app.js';
import { readPortalBootstrap } from './portal-bootstrap.js';
import './portal.css';
import './layout/portal-header.css';
import './pages.css';
// Every page's styles come with the first load (about 5 KB gzipped in all): a page opened later
// must never appear unstyled while its stylesheet loads.
import './tickets/ticket-list.css';
import './tickets/ticket-page.css';
import '../shared/attachments/attachments.css';
import './profile/profile.css';
import './quotes/quotes.css';

// The server already rendered a readable, branded page into #root. React takes over only when
// the bootstrap data is intact; otherwise the server's markup stays, which beats a blank page.
const container = document.getElementById('root');
const portal = readPortalBootstrap();
if (container && portal) {
  createRoot(container).render(
    <StrictMode>
      <PortalApp portal={portal} />
    </StrictMode>,
  );
}
