import { Link, useLocation } from 'react-router';
import type { TMe } from '../../../features/auth/portal-auth.schemas.js';
import { BrandLogo } from '../../shared/brand-logo.js';
import { Avatar } from '../../shared/avatar.js';

/**
 * The branded bar on the accent colour; mirrors the server-rendered header (portal-shell.html.ts).
 * Signed in, it also holds the customer's places: their requests, their quotes and their profile (named
 * after them, so they can see whose account this is at a glance).
 */
export function PortalHeader({ name, logoUrl, homeHref, me }: { name: string; logoUrl: string | null; homeHref: string; me: TMe | null }) {
  return (
    <header className="portal-header">
      <div className="portal-header__inner">
        <a className="portal-brand" href={homeHref}>
          {logoUrl ? <BrandLogo className="portal-brand__logo" src={logoUrl} /> : null}
          <span className="portal-brand__name">{name}</span>
        </a>
        {me ? <AccountNav customerName={me.contact.name} photoFileId={me.contact.photoFileId ?? null} /> : null}
      </div>
    </header>
  );
}

function AccountNav({ customerName, photoFileId }: { customerName: string; photoFileId: string | null }) {
  const { pathname } = useLocation();
  const isRequests = pathname === '/' || pathname.startsWith('/tickets');
  const isQuotes = pathname === '/quotes' || pathname.startsWith('/quotes/');
  const isProfile = pathname === '/profile';
  return (
    <nav className="portal-nav" aria-label="Your account">
      <ul className="portal-nav__list">
        <li>
          <Link className="portal-nav__link" to="/" aria-current={isRequests ? 'page' : undefined}>
            <svg className="portal-nav__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" />
            </svg>
            <span className="portal-nav__name">Requests</span>
          </Link>
        </li>
        <li>
          <Link className="portal-nav__link" to="/quotes" aria-current={isQuotes ? 'page' : undefined}>
            <svg className="portal-nav__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
              <path d="M14 3v5h5M9 13h6M9 17h4" />
            </svg>
            <span className="portal-nav__name">Quotes</span>
          </Link>
        </li>
        <li>
          {/* Named "Jordan Rivera, profile": the visible name first (voice control), then where it goes. */}
          <Link
            className="portal-nav__link"
            to="/profile"
            aria-current={isProfile ? 'page' : undefined}
            aria-label={`${customerName}, profile`}
          >
            <Avatar name={customerName} photoFileId={photoFileId} size="small" pixels={28} />
            {/* A phone shows the first name under the icon; wider screens the full name beside it. */}
            <span className="portal-nav__name portal-nav__name--short">{customerName.trim().split(/\s+/)[0]}</span>
            <span className="portal-nav__name portal-nav__name--full">{customerName}</span>
          </Link>
        </li>
      </ul>
    </nav>
  );
}
