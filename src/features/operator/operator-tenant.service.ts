import { customDomainsChanged } from '../domains/custom-domain-changes.js';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { listAuditEventsAcrossTenants, recordAuditEvent, type StoredAuditEvent } from '../audit/audit.service.js';
import { revokeAllLoginTokensOfTenant } from '../auth/contact-access.service.js';
import { endAllSessionsOfTenant } from '../sessions/session.service.js';
import { TEAM_INVITATION_JOB } from '../team/invitation.service.js';
import { addTeamMember } from '../team/team.service.js';
import { createTenant, setTenantStatus } from '../tenants/tenant.service.js';
import * as repo from './operator-tenant.repository.js';
import type { OperatorTenantSummary } from './operator-tenant.repository.js';

export type { OperatorTenantSummary } from './operator-tenant.repository.js';

/** Who acts in the console: audited as the operator, with the request's address and browser. */
export interface OperatorActor {
  readonly operatorId: string;
  readonly meta: RequestMeta;
}

export const OPERATOR_TENANT_PAGE_SIZE = 25;

/** A page of organisations, newest first, and the cursor of the next page (null on the last). */
export async function listTenantsForOperator(
  ctx: AppContext,
  query: { search?: string | undefined; after?: string | undefined; limit?: number | undefined },
): Promise<{ tenants: OperatorTenantSummary[]; next: string | null }> {
  const limit = query.limit ?? OPERATOR_TENANT_PAGE_SIZE;
  const rows = await repo.listOperatorTenants(ctx.db, { search: query.search, afterId: query.after, limit: limit + 1 });
  const tenants = rows.slice(0, limit);
  return { tenants, next: rows.length > limit ? tenants[tenants.length - 1]!.id : null };
}

/** @throws NOT_FOUND */
export async function getTenantForOperator(ctx: AppContext, tenantId: string): Promise<OperatorTenantSummary> {
  const tenant = await repo.findOperatorTenant(ctx.db, tenantId);
  if (!tenant) throw new AppError('NOT_FOUND');
  return tenant;
}

/**
 * Creates an organisation (validated like `servelo tenant create`) and invites its first owner
 * (the team app's invitation email, queued in the same transaction). Audited as the operator's.
 * @throws VALIDATION_FAILED, TENANT_SLUG_TAKEN
 */
export async function createTenantForOperator(
  ctx: AppContext,
  input: { name: string; slug: string; ownerEmail: string; ownerName?: string | undefined },
  by: OperatorActor,
): Promise<OperatorTenantSummary> {
  const ownerEmail = requireEmail(input.ownerEmail, 'ownerEmail');
  const actor = { kind: 'operator' as const, id: by.operatorId };
  const tenantId = await inTransaction(ctx.db, async (trx) => {
    const tenant = await createTenant({ db: trx, clock: ctx.clock }, { name: input.name, slug: input.slug }, actor);
    const owner = await addTeamMember(
      { db: trx, clock: ctx.clock },
      tenant.id,
      { email: ownerEmail, name: input.ownerName?.trim() || ownerEmail, role: 'owner' },
      actor,
      { status: 'invited' },
    );
    await enqueueJob(trx, ctx.clock, {
      kind: TEAM_INVITATION_JOB,
      tenantId: tenant.id,
      payload: { tenantId: tenant.id, memberId: owner.id, invitedById: null },
    });
    await recordAuditEvent(trx, ctx.clock, {
      tenantId: tenant.id,
      actor,
      action: 'operator.tenant.created',
      subject: { kind: 'tenant', id: tenant.id },
      data: { slug: tenant.slug, ownerMemberId: owner.id },
      ip: by.meta.ip,
      userAgent: by.meta.userAgent,
    });
    return tenant.id;
  });
  return getTenantForOperator(ctx, tenantId);
}

/**
 * Suspends an organisation: its portal answers the neutral 404, its members cannot sign in, and
 * every portal and team session and every unspent sign-in link of it is revoked — one transaction.
 * Resuming lets people sign in again (sessions stay ended). Audited as the operator's.
 * @throws NOT_FOUND
 */
export async function setTenantStatusForOperator(
  ctx: AppContext,
  tenantId: string,
  status: 'active' | 'suspended',
  by: OperatorActor,
): Promise<OperatorTenantSummary> {
  await getTenantForOperator(ctx, tenantId);
  await inTransaction(ctx.db, async (trx) => {
    const changed = await setTenantStatus(trx, ctx.clock.now(), tenantId, status);
    if (!changed) return;
    const data: Record<string, number> = {};
    if (status === 'suspended') {
      const scope = forTenant(trx, tenantId);
      data.sessionsEnded = await endAllSessionsOfTenant(scope, ctx.clock);
      data.signInLinksRevoked = await revokeAllLoginTokensOfTenant(scope, ctx.clock);
    }
    await recordAuditEvent(trx, ctx.clock, {
      tenantId,
      actor: { kind: 'operator', id: by.operatorId },
      action: status === 'suspended' ? 'operator.tenant.suspended' : 'operator.tenant.resumed',
      subject: { kind: 'tenant', id: tenantId },
      data,
      ip: by.meta.ip,
      userAgent: by.meta.userAgent,
    });
  });
  // Its custom domain stops (or starts again) being served and certified at once, not after the caches' TTL.
  customDomainsChanged();
  return getTenantForOperator(ctx, tenantId);
}

export const OPERATOR_AUDIT_PAGE_SIZE = 50;

/**
 * The audit log across the installation (or of one organisation), newest first; the cursor is
 * `createdAt~id` of the last event shown.
 */
export async function listAuditForOperator(
  ctx: AppContext,
  query: { tenantId?: string | undefined; before?: string | undefined; limit?: number | undefined },
): Promise<{ events: (StoredAuditEvent & { tenantName: string | null })[]; next: string | null }> {
  const limit = query.limit ?? OPERATOR_AUDIT_PAGE_SIZE;
  const [createdAt, id] = query.before?.split('~') ?? [];
  const before = createdAt && id ? { createdAt, id } : undefined;
  const rows = await listAuditEventsAcrossTenants(ctx.db, { tenantId: query.tenantId, before, limit: limit + 1 });
  const events = rows.slice(0, limit);
  const last = events[events.length - 1];
  return { events, next: rows.length > limit && last ? `${last.createdAt}~${last.id}` : null };
}
