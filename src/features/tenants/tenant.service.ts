import type { CustomerLimits } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { type TCreateTenantRequest, ZCreateTenantRequest } from './tenant.schemas.js';
import * as repo from './tenant.repository.js';
import type { Tenant } from './tenant.repository.js';
import type { ExecutorOrScope, TenantScope } from '../../platform/db/tenant-scope.js';

export type { Tenant } from './tenant.repository.js';

/**
 * Creates a tenant (an organisation using Servelo).
 * @throws VALIDATION_FAILED for a bad slug, name, colour, currency or time zone
 * @throws TENANT_SLUG_TAKEN when another tenant has the slug
 */
export async function createTenant(
  ctx: AppContext,
  input: TCreateTenantRequest,
  actor: { kind: 'operator' | 'system'; id?: string } = { kind: 'system' },
): Promise<Tenant> {
  const data = parseInput(ZCreateTenantRequest, input);
  return inTransaction(ctx.db, async (trx) => {
    if (await repo.findTenantBySlug(trx, data.slug)) throw new AppError('TENANT_SLUG_TAKEN');
    // Checked above for a clear answer; the unique index decides when two creations race.
    const tenant = await repo.insertTenant(trx, { id: newId(), ...data, now: toDbTime(ctx.clock.now()) }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? new AppError('TENANT_SLUG_TAKEN', undefined, { cause: error }) : error;
    });
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: tenant.id,
      actor,
      action: 'tenant.created',
      subject: { kind: 'tenant', id: tenant.id },
      data: { slug: tenant.slug },
    });
    return tenant;
  });
}

/** Finds an active tenant by its portal slug; suspended and unknown tenants are both "not found". */
export async function findActiveTenantBySlug(db: Executor, slug: string): Promise<Tenant | undefined> {
  const tenant = await repo.findTenantBySlug(db, slug.toLowerCase());
  return tenant?.status === 'active' ? tenant : undefined;
}

/** Finds a tenant by slug whatever its status (for the CLI and the seed, not for requests). */
export async function findTenantBySlug(db: Executor, slug: string): Promise<Tenant | undefined> {
  return repo.findTenantBySlug(db, slug.toLowerCase());
}

/** @throws TENANT_NOT_FOUND */
export async function getTenantBySlug(db: Executor, slug: string): Promise<Tenant> {
  const tenant = await repo.findTenantBySlug(db, slug.toLowerCase());
  if (!tenant) throw new AppError('TENANT_NOT_FOUND', `No organisation has the address "${slug}".`);
  return tenant;
}

export async function findTenantById(db: ExecutorOrScope, id: string): Promise<Tenant | undefined> {
  return repo.findTenantById(db, id);
}

/** Reserves the next ticket number of the tenant, inside the caller's transaction. */
/** The scope's tenant's next ticket number, in the scope's transaction (numbers are never reused). */
export async function allocateTicketNumber(scope: TenantScope): Promise<number> {
  return repo.allocateTicketNumber(scope, scope.tenantId);
}

/** The scope's tenant's next quote number, in the scope's transaction. */
export async function allocateQuoteNumber(scope: TenantScope): Promise<number> {
  return repo.allocateQuoteNumber(scope, scope.tenantId);
}

/** The terms new quotes start with (Settings; empty by default). */
export async function findQuoteDefaultTerms(db: ExecutorOrScope, tenantId: string): Promise<string> {
  return repo.findQuoteDefaultTerms(db, tenantId);
}

/** In the caller's transaction when given a scope (the tenant row is global; the scope is unwrapped by the repository). */
export async function updateQuoteDefaultTerms(db: ExecutorOrScope, now: Date, tenantId: string, terms: string): Promise<void> {
  await repo.updateQuoteDefaultTerms(db, tenantId, terms, toDbTime(now));
}

export async function setTenantLogo(ctx: AppContext, tenantId: string, logoKey: string | null): Promise<void> {
  await repo.updateTenantLogoKey(ctx.db, tenantId, logoKey, toDbTime(ctx.clock.now()));
}

export async function countTenants(db: Executor): Promise<number> {
  return repo.countTenants(db);
}

/** Changes the portal switches and the default visibility of new clients; takes effect on the next request. */
export async function updatePortalSettings(
  ctx: AppContext,
  tenantId: string,
  patch: { submissionsEnabled?: boolean; reopenOnReply?: boolean; clientVisibilityDefault?: 'all' | 'own' },
): Promise<void> {
  await repo.updatePortalSettings(ctx.db, tenantId, patch, toDbTime(ctx.clock.now()));
}

/** Replaces the organisation's own per-customer limits (already validated); an empty set means the defaults. */
export async function updateCustomerLimits(ctx: AppContext, tenantId: string, limits: Partial<CustomerLimits>): Promise<void> {
  await repo.updateCustomerLimits(ctx.db, tenantId, limits, toDbTime(ctx.clock.now()));
}

/**
 * Changes the organisation's name, accent colour, currency, locale and time zone (already
 * validated by the caller); the portal reads the tenant on every request, so it shows at once.
 */
export async function updateOrganisation(ctx: AppContext, tenantId: string, patch: repo.OrganisationPatch): Promise<void> {
  await repo.updateOrganisation(ctx.db, tenantId, patch, toDbTime(ctx.clock.now()));
}

/** Suspends or resumes an organisation in the caller's transaction; false when it already was. */
export async function setTenantStatus(db: Executor, now: Date, tenantId: string, status: 'active' | 'suspended'): Promise<boolean> {
  return repo.updateTenantStatus(db, tenantId, status, toDbTime(now));
}
