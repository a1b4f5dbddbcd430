import type { TPortalInfo } from '../../features/tenants/tenant.schemas.js';
import { readJsonScript } from '../shared/read-json-script.js';

/** What the server embeds in every portal page: the public portal info plus where the portal lives. */
export type PortalBootstrap = TPortalInfo & {
  /** `/portal/{slug}` on the platform host, or '' on a custom domain. */
  readonly basePath: string;
};

export const PORTAL_BOOTSTRAP_ID = 'portal-bootstrap';

/**
 * The embedded bootstrap data, checked field by field (zod would triple the bundle for a handful
 * of fields). Undefined means the page was not rendered by our server as expected; the caller then
 * leaves the server-rendered markup alone. Currency and locale only format numbers and dates, so a
 * page without them still works, with the browser's locale.
 */
export function readPortalBootstrap(): PortalBootstrap | undefined {
  const data = readJsonScript(PORTAL_BOOTSTRAP_ID);
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const isValid =
    typeof d.name === 'string' &&
    typeof d.slug === 'string' &&
    typeof d.basePath === 'string' &&
    typeof d.accentColor === 'string' &&
    typeof d.accentTextColor === 'string' &&
    (d.logoUrl === null || typeof d.logoUrl === 'string') &&
    typeof d.submissionsEnabled === 'boolean';
  if (!isValid) return undefined;
  return {
    ...(d as PortalBootstrap),
    currency: typeof d.currency === 'string' && /^[A-Z]{3}$/.test(d.currency) ? d.currency : 'USD',
    locale: typeof d.locale === 'string' && isLocale(d.locale) ? d.locale : navigator.language,
  };
}

function isLocale(locale: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}
