import {
  countDomainsAcrossTenants,
  findTenantOfDomain as findTenantOfDomainAcrossTenants,
  listDomainsAcrossTenants,
  type OperatorDomainFilter,
  type OperatorDomainRow,
} from '../../platform/db/cross-tenant.repository.js';

/**
 * The operator's reads of custom domains across organisations: the installation's operator sees
 * every claim (the cross-tenant reads themselves live in platform/db/cross-tenant.repository.ts).
 */
export type { OperatorDomainFilter, OperatorDomainRow };
export const listOperatorDomainRows = listDomainsAcrossTenants;
export const countOperatorDomains = countDomainsAcrossTenants;
export const findTenantIdOfDomain = findTenantOfDomainAcrossTenants;
