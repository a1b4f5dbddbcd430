import type { OperatorTenantSummary } from './operator-tenant.service.js';
import type { TOperatorTenant } from './operator-tenant.schemas.js';

export function presentOperatorTenant(tenant: OperatorTenantSummary): TOperatorTenant {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    createdAt: tenant.createdAt.toISOString(),
    counts: { ...tenant.counts },
    domain: tenant.domain ? { ...tenant.domain } : null,
    portalPath: `/portal/${tenant.slug}`,
  };
}
