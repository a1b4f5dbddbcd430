import type { Updateable } from 'kysely';
import type { CustomDomainTable, Executor } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import { findDomainClaimByHost, listDomainsDueForCheck } from '../../platform/db/cross-tenant.repository.js';
import { executorOf, type ExecutorOrScope, type TenantScope } from '../../platform/db/tenant-scope.js';
import { type CustomDomain, toCustomDomain } from './custom-domain.domain.js';

/** The organisation's one claim (a tenant has at most one custom domain). */
export async function findDomainOfTenant(scope: TenantScope): Promise<CustomDomain | undefined> {
  const row = await scope.selectFrom('custom_domain').selectAll().executeTakeFirst();
  return row && toCustomDomain(row);
}

export async function findDomainById(scope: TenantScope, domainId: string): Promise<CustomDomain | undefined> {
  const row = await scope.selectFrom('custom_domain').selectAll().where('id', '=', domainId).executeTakeFirst();
  return row && toCustomDomain(row);
}

export async function insertDomain(
  scope: TenantScope,
  d: { id: string; host: string; verificationToken: string; createdById: string | null; now: string },
): Promise<CustomDomain> {
  const row = await scope
    .insertInto('custom_domain', {
      id: d.id,
      host: d.host,
      verification_token: d.verificationToken,
      status: 'pending_dns',
      status_reason: null,
      dns_observed: null,
      next_check_at: d.now,
      pending_since: d.now,
      created_by_id: d.createdById,
      created_at: d.now,
      updated_at: d.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCustomDomain(row);
}

export type DomainChanges = Omit<Updateable<CustomDomainTable>, 'id' | 'tenant_id' | 'host' | 'verification_token' | 'created_at'>;

export async function updateDomain(scope: TenantScope, domainId: string, changes: DomainChanges): Promise<CustomDomain> {
  const row = await scope.updateTable('custom_domain').set(changes).where('id', '=', domainId).returningAll().executeTakeFirstOrThrow();
  return toCustomDomain(row);
}

/** Deletes a claim with its certificates and pending ACME challenges (a released host keeps nothing). */
export async function deleteDomain(scope: TenantScope, domain: Pick<CustomDomain, 'id' | 'host'>): Promise<void> {
  await scope.deleteFrom('acme_challenge').where('host', '=', domain.host).execute();
  await scope.deleteFrom('domain_certificate').where('domain_id', '=', domain.id).execute();
  await scope.deleteFrom('custom_domain').where('id', '=', domain.id).execute();
}

/** What the team sees of the domain's newest certificate (never the PEM). */
export interface CertificateSummary {
  readonly issuer: string;
  readonly notAfter: Date;
  readonly status: 'active' | 'superseded' | 'revoked';
  readonly source: 'acme' | 'upload';
}

/** The newest certificate of the domain: an active one before any other. */
export async function findCertificateSummary(scope: TenantScope, domainId: string): Promise<CertificateSummary | undefined> {
  const rows = await scope
    .selectFrom('domain_certificate')
    .select(['issuer', 'not_after', 'status', 'source', 'created_at'])
    .where('domain_id', '=', domainId)
    .orderBy('created_at', 'desc')
    .execute();
  const row = rows.find((r) => r.status === 'active') ?? rows[0];
  return row && { issuer: row.issuer, notAfter: fromDbTime(row.not_after), status: row.status, source: row.source };
}

/** Every operator's address, to tell them about a domain that lapsed or became active. */
export async function listOperatorEmails(db: ExecutorOrScope): Promise<string[]> {
  const rows = await executorOf(db).selectFrom('operator').select('email').orderBy('email').execute();
  return rows.map((r) => r.email);
}

/** Which organisation holds a claim on this host (hosts are unique across the installation). */
export function findClaimOfHost(db: Executor, host: string): Promise<{ tenantId: string; domainId: string } | undefined> {
  return findDomainClaimByHost(db, host);
}

/** The worker's sweep: claims whose next DNS check is due, across organisations. */
export function listDueDomains(db: Executor, now: string, limit: number): Promise<{ tenantId: string; domainId: string }[]> {
  return listDomainsDueForCheck(db, now, limit);
}
