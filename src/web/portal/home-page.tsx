import { messageOf } from '../shared/api-client.js';
import { SignInCard } from './auth/sign-in-card.js';
import { SignedInCard } from './auth/signed-in-card.js';
import { useMe } from './auth/use-me.js';
import { AlertIcon } from './icons.js';
import { PageHeading, usePageTitle } from './page-heading.js';

/** `/`: the sign-in form for visitors, the customer's home once signed in. */
export function HomePage() {
  const me = useMe();
  if (me.data) return <SignedInCard me={me.data} />;
  if (me.isError) return <HomeErrorCard message={messageOf(me.error)} onRetry={() => void me.refetch()} isRetrying={me.isFetching} />;
  return <SignInCard isChecking={me.isPending} />;
}

function HomeErrorCard({ message, onRetry, isRetrying }: { message: string; onRetry: () => void; isRetrying: boolean }) {
  usePageTitle('Something went wrong');
  return (
    <section className="portal-card" aria-labelledby="home-error-title">
      <div className="portal-card__icon" aria-hidden="true">
        <AlertIcon />
      </div>
      <PageHeading id="home-error-title">This page could not load</PageHeading>
      <p className="portal-card__text" role="alert">
        {message}
      </p>
      <div className="portal-actions">
        <button type="button" className="button button--primary" onClick={onRetry} aria-disabled={isRetrying || undefined}>
          {isRetrying ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    </section>
  );
}
