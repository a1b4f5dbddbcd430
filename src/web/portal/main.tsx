import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalApp } from './portal-app.js';
import { readPortalBootstrap } from './portal-bootstrap.js';
import './portal.css';

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
