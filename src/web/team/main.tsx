import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TeamApp } from './team-app.js';
import './team.css';
// Every page's styles come with the first load: a page opened later must never appear unstyled
// while its stylesheet loads, and the team app's pages are opened many times a day.
import './auth/auth.css';
import './inbox/inbox.css';
import './tickets/ticket.css';
import './clients/clients.css';
import './settings/settings.css';
import './quotes/quotes.css';
import '../shared/attachments/attachments.css';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <TeamApp />
    </StrictMode>,
  );
}
