import type { AppContext } from '../../platform/context.js';
import {
  countOperatorDomains,
  findTenantIdOfDomain,
  listOperatorDomainRows,
  type OperatorDomainFilter,
  type OperatorDomainRow,
} from './operator-domain.repository.js';
import { AppError } from '../../platform/errors.js';
import {
  approveAndIssue,
  type CertificateContext,
  listCertificates,
  renewCertificate,
  revokeCertificate,
  uploadCertificate,
} from '../domains/certificate.service.js';
import { checkCustomDomain, type DomainContext } from '../domains/custom-domain.service.js';
import { findTenantById, type Tenant } from '../tenants/tenant.service.js';
import type { OperatorActor } from './operator-tenant.service.js';

/** The most claims one console page shows (an installation has at most one per organisation). */
export const OPERATOR_DOMAIN_PAGE = 200;

export interface OperatorDomainList {
  readonly rows: OperatorDomainRow[];
  readonly counts: Record<OperatorDomainFilter, number>;
}

/** Every organisation's custom domain with its state and certificate, for one console tab. */
export async function listDomainsForOperator(
  ctx: AppContext,
  query: { filter: OperatorDomainFilter; q?: string | undefined },
): Promise<OperatorDomainList> {
  const [rows, counts] = await Promise.all([
    listOperatorDomainRows(ctx.db, { filter: query.filter, search: query.q ?? null, limit: OPERATOR_DOMAIN_PAGE }),
    countOperatorDomains(ctx.db),
  ]);
  return { rows, counts };
}

const asActor = (by: OperatorActor) => ({ kind: 'operator', id: by.operatorId }) as const;

/**
 * The operator approves a verified domain: Servelo issues its certificate (ACME), or the proxy may
 * now get one on demand. A suspended organisation's domain is not approved.
 * @throws DOMAIN_NOT_FOUND, DOMAIN_NOT_VERIFIED, TENANT_SUSPENDED
 */
export async function issueForOperator(ctx: CertificateContext, domainId: string, by: OperatorActor): Promise<void> {
  await refuseSuspended(ctx, domainId);
  await approveAndIssue(ctx, domainId, asActor(by));
}

/** @throws DOMAIN_NOT_FOUND, DOMAIN_NOT_VERIFIED (nothing to renew, or no ACME) */
export async function renewForOperator(ctx: CertificateContext, domainId: string, by: OperatorActor): Promise<void> {
  await renewCertificate(ctx, domainId, asActor(by));
}

/**
 * Revokes the domain's certificate in service (at the CA for an ACME one).
 * @throws DOMAIN_NOT_FOUND, CERTIFICATE_NOT_FOUND (no certificate in service)
 */
export async function revokeForOperator(ctx: CertificateContext, domainId: string, reason: string, by: OperatorActor): Promise<void> {
  const current = (await listCertificates(ctx, domainId)).find((c) => c.status === 'active');
  if (!current) throw new AppError('CERTIFICATE_NOT_FOUND', 'This domain has no certificate in service to revoke.');
  await revokeCertificate(ctx, current.id, reason, asActor(by));
}

/** @throws DOMAIN_NOT_FOUND, DOMAIN_NOT_VERIFIED, CERTIFICATE_* (what is wrong with the upload) */
export async function uploadForOperator(
  ctx: CertificateContext,
  domainId: string,
  input: { certPem: string; keyPem: string },
  by: OperatorActor,
): Promise<void> {
  await refuseSuspended(ctx, domainId);
  await uploadCertificate(ctx, domainId, input, asActor(by));
}

/** Asks DNS about the domain now, as the worker would. @throws DOMAIN_NOT_FOUND */
export async function checkForOperator(ctx: DomainContext, domainId: string): Promise<void> {
  const tenant = await tenantOfDomain(ctx, domainId);
  await checkCustomDomain(ctx, tenant.id, domainId);
}

/** The organisation of a claim (ids are unique across the installation). @throws DOMAIN_NOT_FOUND */
async function tenantOfDomain(ctx: AppContext, domainId: string): Promise<Tenant> {
  const tenantId = await findTenantIdOfDomain(ctx.db, domainId);
  const tenant = tenantId ? await findTenantById(ctx.db, tenantId) : undefined;
  if (!tenant) throw new AppError('DOMAIN_NOT_FOUND');
  return tenant;
}

async function refuseSuspended(ctx: AppContext, domainId: string): Promise<void> {
  if ((await tenantOfDomain(ctx, domainId)).status === 'suspended') throw new AppError('TENANT_SUSPENDED');
}
