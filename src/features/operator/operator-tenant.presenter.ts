import type { OperatorTenantSummary } from './operator-tenant.service.js';
import type { StoredAuditEvent } from '../audit/audit.service.js';
import type { TOperatorAuditPage, TOperatorTenant } from './operator-tenant.schemas.js';

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

export function presentOperatorAuditEvent(event: StoredAuditEvent & { tenantName: string | null }): TOperatorAuditPage['events'][number] {
  let data: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = event.data === null ? null : JSON.parse(event.data);
    data = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    data = null;
  }
  return {
    id: event.id,
    tenantId: event.tenantId,
    tenantName: event.tenantName,
    actor: { kind: event.actorKind, id: event.actorId },
    action: event.action,
    subject: event.subjectKind ? { kind: event.subjectKind, id: event.subjectId } : null,
    data,
    ip: event.ip,
    userAgent: event.userAgent,
    createdAt: new Date(event.lastAt ?? event.createdAt).toISOString(),
    occurrences: event.occurrences,
  };
}
