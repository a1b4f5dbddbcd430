import { BrandLogo } from '../shared/brand-logo.js';

/** The branded bar on the accent colour; mirrors the server-rendered header (portal-shell.html.ts). */
export function PortalHeader({ name, logoUrl, homeHref }: { name: string; logoUrl: string | null; homeHref: string }) {
  return (
    <header className="portal-header">
      <div className="portal-header__inner">
        <a className="portal-brand" href={homeHref}>
          {logoUrl ? <BrandLogo className="portal-brand__logo" src={logoUrl} /> : null}
          <span className="portal-brand__name">{name}</span>
        </a>
      </div>
    </header>
  );
}
