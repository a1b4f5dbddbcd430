import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { OperatorApp } from './operator-app.js';
// The team app's look: its base styles, forms and sign-in card, plus the console's few own rules.
import '../team/team.css';
import '../team/auth/auth.css';
import '../team/settings/settings.css';
import '../team/inbox/inbox.css';
import '../team/clients/clients.css';
import '../team/quotes/quotes.css';
import './operator.css';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <OperatorApp />
    </StrictMode>,
  );
}
