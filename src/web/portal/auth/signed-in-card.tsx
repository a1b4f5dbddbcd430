import { useNavigate } from 'react-router';
import type { TMe } from '../../../features/auth/auth.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus } from '../form-controls.js';
import { UserIcon } from '../icons.js';
import { PageHeading, usePageTitle } from '../page-heading.js';
import { usePortal } from '../portal-context.js';
import { useSignOut, type SignOutScope } from './use-sign-in.js';

/** The signed-in home page: who is signed in, for which customer account, and the ways out. */
export function SignedInCard({ me }: { me: TMe }) {
  const { name } = usePortal();
  usePageTitle('Home');
  const navigate = useNavigate();
  const signOut = useSignOut();
  const onSignOut = (scope: SignOutScope) =>
    signOut.mutate(scope, {
      // Back to a fresh home page, which now shows the sign-in form.
      onSuccess: () => void navigate('/', { replace: true }),
    });
  const pendingScope = signOut.isPending ? signOut.variables : null;

  return (
    <section className="portal-card" aria-labelledby="home-title">
      <div className="portal-card__icon" aria-hidden="true">
        <UserIcon />
      </div>
      <PageHeading id="home-title">Welcome, {me.contact.name}</PageHeading>
      <p className="portal-card__text" data-testid="signed-in-as">
        Signed in as {me.contact.name} ({me.contact.email})
      </p>
      <p className="portal-card__text">
        Account: <strong className="portal-card__strong">{me.client.name}</strong>
      </p>
      <p className="portal-card__note">Your tickets with {name} will appear here.</p>
      <div className="portal-actions">
        <ActionButton
          variant="secondary"
          isPending={pendingScope === 'this-device'}
          pendingLabel="Signing out…"
          onClick={() => onSignOut('this-device')}
        >
          Sign out
        </ActionButton>
        <ActionButton
          variant="secondary"
          isPending={pendingScope === 'all-devices'}
          pendingLabel="Signing out…"
          onClick={() => onSignOut('all-devices')}
        >
          Sign out on all devices
        </ActionButton>
      </div>
      <LiveStatus>{signOut.isPending ? 'Signing you out…' : ''}</LiveStatus>
      <ErrorNotice message={signOut.error ? messageOf(signOut.error) : null} />
    </section>
  );
}
