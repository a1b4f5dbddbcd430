import { createHash } from 'node:crypto';
import { type PortalSite, portalUrlOf } from '../auth/portal-sign-in-link.service.js';
import { contrastRatio, pickTextColor } from './branding.service.js';
import type { Tenant } from './tenant.service.js';
import type { TOrganisationSettings, TPortalSettings } from './team-settings.schemas.js';

/** WCAG 2.x AA: 4.5:1 for text (1.4.3), 3:1 for the accent as a shape against the page (1.4.11). */
const MIN_TEXT_CONTRAST = 4.5;
const MIN_PAGE_CONTRAST = 3;
const PAGE_BACKGROUND = '#ffffff';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * How readable the accent is: the text colour the portal puts on it (black or white, whichever
 * contrasts more — at least 4.58:1 by construction) and the accent itself on the white page,
 * where a very light accent makes outlines, focus rings and the header's edge disappear.
 */
export function accentContrastOf(accentColor: string): Pick<TOrganisationSettings, 'accentTextColor' | 'contrast' | 'contrastWarning'> {
  const accentTextColor = pickTextColor(accentColor);
  const text = contrastRatio(accentColor, accentTextColor);
  const page = contrastRatio(accentColor, PAGE_BACKGROUND);
  return {
    accentTextColor,
    contrast: { text: round2(text), page: round2(page) },
    contrastWarning: text < MIN_TEXT_CONTRAST || page < MIN_PAGE_CONTRAST,
  };
}

/** The settings as the team app shows them; the logo URL carries a version of the stored logo. */
export function presentOrganisationSettings(tenant: Tenant): TOrganisationSettings {
  const version = tenant.logoKey ? createHash('sha256').update(tenant.logoKey).digest('hex').slice(0, 12) : null;
  return {
    name: tenant.name,
    slug: tenant.slug,
    accentColor: tenant.accentColor,
    ...accentContrastOf(tenant.accentColor),
    currency: tenant.currency,
    timeZone: tenant.timeZone,
    locale: tenant.locale,
    logoUrl: version ? `/portal/${tenant.slug}/logo?v=${version}` : null,
  };
}

/** The portal switches as the team app shows them, with the portal's address. */
export function presentPortalSettings(tenant: Tenant, site: PortalSite): TPortalSettings {
  return { ...tenant.portal, portalUrl: portalUrlOf(site, tenant), defaultPortalUrl: `${site.publicUrl}/portal/${tenant.slug}` };
}
