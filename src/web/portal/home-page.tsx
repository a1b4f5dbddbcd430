import { useEffect } from 'react';
import { messageOf } from '../shared/api-client.js';
import { SignInCard } from './auth/sign-in-card.js';
import { useMe } from './auth/use-me.js';
import { loadTicketListPage, TicketListPage } from './lazy-pages.js';
import { LoadErrorCard } from '../shared/states.js';

/** `/`: the sign-in form for visitors, the customer's requests once signed in. */
export function HomePage() {
  const me = useMe();
  // Fetch the list's code while the session is checked, not after: most visits here are signed in.
  useEffect(() => {
    void loadTicketListPage().catch(() => undefined);
  }, []);
  if (me.data) return <TicketListPage />;
  if (me.isError) return <LoadErrorCard message={messageOf(me.error)} onRetry={() => void me.refetch()} isRetrying={me.isFetching} />;
  return <SignInCard isChecking={me.isPending} />;
}
