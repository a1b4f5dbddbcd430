import type { Executor } from '../../platform/db/database.js';
import { listTenantsForOperator, type OperatorTenantRow } from '../../platform/db/cross-tenant.repository.js';
import { fromDbTime } from '../../platform/db/time.js';

/** An organisation as the operator sees it (no tenant scope: the operator belongs to none). */
export interface OperatorTenantSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: 'active' | 'suspended';
  readonly createdAt: Date;
  readonly counts: { readonly tickets: number; readonly contacts: number; readonly storageBytes: number };
  readonly domain: { readonly host: string; readonly status: string } | null;
}

function toSummary(row: OperatorTenantRow): OperatorTenantSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    createdAt: fromDbTime(row.createdAt),
    counts: { tickets: row.tickets, contacts: row.contacts, storageBytes: row.storageBytes },
    domain: row.domainHost && row.domainStatus ? { host: row.domainHost, status: row.domainStatus } : null,
  };
}

export async function listOperatorTenants(
  db: Executor,
  query: { search?: string | undefined; afterId?: string | undefined; limit: number },
): Promise<OperatorTenantSummary[]> {
  return (await listTenantsForOperator(db, query)).map(toSummary);
}

export async function findOperatorTenant(db: Executor, tenantId: string): Promise<OperatorTenantSummary | undefined> {
  const [row] = await listTenantsForOperator(db, { tenantId, limit: 1 });
  return row && toSummary(row);
}
