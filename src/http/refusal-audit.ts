import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAggregatedAuditEvent } from '../features/audit/audit.service.js';
import type { AppContext } from '../platform/context.js';
import { forTenant } from '../platform/db/tenant-scope.js';
import { isAppError } from '../platform/errors.js';
import { requestMetaOf } from './request-meta.js';

/** Why a request was refused, as the audit log words it. */
export type RefusalReason = 'not_found' | 'forbidden' | 'cross_site';

/** Whose request it was: the signed-in customer or member (or, for a cross-site write, nobody signed in). */
export interface RefusedBy {
  readonly tenantId: string;
  readonly actor: { readonly kind: 'contact' | 'team_member' | 'system'; readonly id: string | null };
}

/**
 * Audits the authorisation failures of a surface (SECURITY.md §8, §9): a foreign or missing
 * object asked for by a signed-in person (404), a role refused (403 FORBIDDEN), a cross-site write
 * refused (403 CROSS_SITE_REQUEST). Each is counted on one entry per tenant, person, route pattern
 * and hour (`access.denied`), never one row per request, so a flood adds to a count. The raw URL is
 * not recorded (it may carry ids of other tenants' objects): only the method and route pattern.
 *
 * Runs in the surface's onError hook, before the one error handler answers. Auditing must never
 * change the answer: a failure to write is logged and the refusal goes out as it was.
 */
export function auditRefusals(
  surface: FastifyInstance,
  options: { ctx: AppContext; refusedBy: (request: FastifyRequest, reason: RefusalReason) => Promise<RefusedBy | undefined> },
): void {
  const { ctx } = options;
  surface.addHook('onError', async (request, _reply, error) => {
    const reason = reasonOf(error);
    if (!reason) return;
    try {
      const who = await options.refusedBy(request, reason);
      if (!who) return;
      const method = request.method;
      const route = request.routeOptions.url ?? '';
      const meta = requestMetaOf(request);
      await recordAggregatedAuditEvent(forTenant(ctx.db, who.tenantId), ctx.clock, {
        tenantId: who.tenantId,
        actor: who.actor,
        action: 'access.denied',
        data: { reason, method, route, code: isAppError(error) ? error.code : null },
        sameWhen: [reason, method, route],
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    } catch (auditError) {
      request.log.warn({ err: auditError }, 'could not audit a refused request');
    }
  });
}

function reasonOf(error: unknown): RefusalReason | undefined {
  if (!isAppError(error)) return undefined;
  if (error.code === 'CROSS_SITE_REQUEST') return 'cross_site';
  if (error.code === 'FORBIDDEN') return 'forbidden';
  // An unknown portal is not a refusal of anyone: there is no tenant to log it for.
  if (error.status === 404 && error.code !== 'TENANT_NOT_FOUND') return 'not_found';
  return undefined;
}
