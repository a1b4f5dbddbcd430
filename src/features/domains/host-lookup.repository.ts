import type { Executor } from '../../platform/db/database.js';
import {
  findDomainByHost,
  findServableDomainRows,
  isActiveTenantSlug,
  type ServableDomainRow,
} from '../../platform/db/cross-tenant.repository.js';
import { type CustomDomain, toCustomDomain } from './custom-domain.domain.js';

/**
 * The reads host routing and the TLS `ask` endpoint start from: a Host name, before any tenant is
 * known (the cross-tenant module holds the queries; these give them the domain's types).
 */
export type { ServableDomainRow };

export function listServableDomains(db: Executor): Promise<ServableDomainRow[]> {
  return findServableDomainRows(db);
}

export async function findClaimByHost(
  db: Executor,
  host: string,
): Promise<{ readonly domain: CustomDomain; readonly tenantSlug: string; readonly tenantActive: boolean } | undefined> {
  const found = await findDomainByHost(db, host);
  return found && { domain: toCustomDomain(found.domain), tenantSlug: found.tenantSlug, tenantActive: found.tenantStatus === 'active' };
}

export function isActiveTenantSlugTaken(db: Executor, slug: string): Promise<boolean> {
  return isActiveTenantSlug(db, slug);
}
