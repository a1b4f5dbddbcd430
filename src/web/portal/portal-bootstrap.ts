import type { TPortalInfo } from '../../features/tenants/tenant.schemas.js';
import { readJsonScript } from '../shared/read-json-script.js';

/** What the server embeds in every portal page: the public portal info plus where the portal lives. */
export type PortalBootstrap = TPortalInfo & {
  /** `/portal/{slug}` on the platform host, or '' on a custom domain. */
  readonly basePath: string;
};

export const PORTAL_BOOTSTRAP_ID = 'portal-bootstrap';

/**
 * The embedded bootstrap data, checked field by field (zod would triple the bundle for six
 * fields). Undefined means the page was not rendered by our server as expected; the caller then
 * leaves the server-rendered markup alone.
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
  return isValid ? (d as PortalBootstrap) : undefined;
}
