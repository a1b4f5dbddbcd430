import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, useNavigate } from 'react-router';
import type { TTeamSession } from '../../../features/auth/team-auth.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { canManageSettings, setSignedIn, type TeamSession } from '../auth/use-session.js';
import { initialsOf } from '../../shared/avatar.js';
import { teamApi } from '../team-api.js';
import { useDisclosure } from './use-disclosure.js';

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', agent: 'Agent' } as const;

/**
 * The bar at the top of every page. Signed in: the organisation (a switcher when the person
 * belongs to several), the app's places, and the person with their account and sign-out.
 * Settings is left out for agents (the server refuses them as well).
 */
export function TeamHeader({ session }: { session: TeamSession | null }) {
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link className="app-brand" to="/">
          <span className="app-brand__mark" aria-hidden="true">
            S
          </span>
          <span className="app-brand__name">Servelo</span>
        </Link>
        {session ? (
          <>
            <TenantSwitcher session={session} />
            <nav className="app-nav" aria-label="Main">
              <ul className="app-nav__list">
                <li>
                  <NavLink className="app-nav__link" to="/" end>
                    Inbox
                  </NavLink>
                </li>
                <li>
                  <NavLink className="app-nav__link" to="/clients">
                    Clients
                  </NavLink>
                </li>
                <li>
                  <NavLink className="app-nav__link" to="/quotes">
                    Quotes
                  </NavLink>
                </li>
                <li>
                  <NavLink className="app-nav__link" to="/quarantine">
                    Quarantine
                  </NavLink>
                </li>
                {canManageSettings(session.member.role) ? (
                  <li>
                    <NavLink className="app-nav__link" to="/settings">
                      Settings
                    </NavLink>
                  </li>
                ) : null}
              </ul>
            </nav>
            <AccountMenu session={session} />
          </>
        ) : null}
      </div>
    </header>
  );
}

function TenantSwitcher({ session }: { session: TeamSession }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { isOpen, toggle, close, rootRef, buttonRef } = useDisclosure<HTMLDivElement>();
  const others = session.tenants.filter((t) => t.tenantId !== session.tenant.id);
  const switchTo = useMutation({
    mutationFn: (tenantId: string) => teamApi.post<TTeamSession>('auth/switch', { tenantId }),
    onSuccess: (next) => {
      close();
      setSignedIn(queryClient, next, session.account.totpEnabled);
      void navigate('/');
    },
  });
  if (others.length === 0) {
    return (
      <p className="app-tenant">
        <span className="visually-hidden">Organisation: </span>
        {session.tenant.name}
      </p>
    );
  }
  return (
    <div className="app-tenant app-tenant--switcher" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="app-tenant__button"
        aria-expanded={isOpen}
        aria-controls="tenant-menu"
        onClick={toggle}
      >
        <span className="visually-hidden">Organisation: </span>
        {session.tenant.name}
        <span className="app-tenant__chevron" aria-hidden="true" />
        <span className="visually-hidden">, switch organisation</span>
      </button>
      {isOpen ? (
        <div className="popover" id="tenant-menu">
          <p className="popover__title">Switch organisation</p>
          <ul className="popover__list">
            {session.tenants.map((tenant) => {
              const isCurrent = tenant.tenantId === session.tenant.id;
              return (
                <li key={tenant.tenantId}>
                  <button
                    type="button"
                    className="popover__item"
                    aria-current={isCurrent || undefined}
                    onClick={() => (isCurrent ? close(true) : switchTo.mutate(tenant.tenantId))}
                  >
                    <span className="popover__item-name">{tenant.name}</span>
                    <span className="popover__item-meta">
                      {ROLE_LABELS[tenant.role]}
                      {isCurrent ? ' · current' : ''}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          {switchTo.isPending ? (
            <p className="popover__note" role="status">
              Switching…
            </p>
          ) : null}
          {switchTo.isError ? (
            <p className="popover__note popover__note--error" role="alert">
              {messageOf(switchTo.error)}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function AccountMenu({ session }: { session: TeamSession }) {
  const { isOpen, toggle, close, rootRef, buttonRef } = useDisclosure<HTMLDivElement>();
  const signOut = useMutation({
    mutationFn: () => teamApi.post<void>('auth/sign-out'),
    // A fresh page: nothing of the session stays in memory (drafts, caches), and the next person
    // signing in on this computer starts from the inbox, not from where this one was.
    onSettled: () => window.location.assign('/app/sign-in'),
  });
  const { member } = session;
  return (
    <div className="app-account" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="app-account__button"
        aria-expanded={isOpen}
        aria-controls="account-menu"
        onClick={toggle}
      >
        <span className="app-account__initials" aria-hidden="true">
          {initialsOf(member.name)}
        </span>
        <span className="app-account__name">{member.name}</span>
        <span className="app-tenant__chevron" aria-hidden="true" />
      </button>
      {isOpen ? (
        <div className="popover popover--end" id="account-menu">
          <p className="popover__title">
            {member.name}
            <span className="popover__subtitle">
              {member.email} · {ROLE_LABELS[member.role]}
            </span>
          </p>
          <ul className="popover__list">
            <li>
              <Link className="popover__item" to="/account" onClick={() => close()}>
                Account and security
              </Link>
            </li>
            <li>
              <button
                type="button"
                className="popover__item"
                onClick={() => signOut.mutate()}
                aria-disabled={signOut.isPending || undefined}
              >
                {signOut.isPending ? 'Signing out…' : 'Sign out'}
              </button>
            </li>
          </ul>
        </div>
      ) : null}
    </div>
  );
}
