import { listAuditRowsAcrossTenants } from '../../platform/db/cross-tenant.repository.js';
import type { Executor } from '../../platform/db/database.js';
import { executorOf, type ExecutorOrScope, type TenantScope } from '../../platform/db/tenant-scope.js';

export interface AuditEventRow {
  id: string;
  tenantId: string | null;
  actorKind: 'contact' | 'team_member' | 'operator' | 'system';
  actorId: string | null;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  data: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

/**
 * Audit events are written for one tenant or, for installation-wide events, for none; the insert
 * names its tenant explicitly, so it does not go through the tenant scope.
 */
export async function insertAuditEvent(target: ExecutorOrScope, e: AuditEventRow): Promise<void> {
  await executorOf(target)
    .insertInto('audit_event')
    .values({
      id: e.id,
      tenant_id: e.tenantId,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      action: e.action,
      subject_kind: e.subjectKind,
      subject_id: e.subjectId,
      data: e.data,
      ip: e.ip,
      user_agent: e.userAgent,
      created_at: e.createdAt,
    })
    .execute();
}

/** An audit event as stored: aggregated entries count their occurrences and keep the latest time. */
export interface StoredAuditEvent extends AuditEventRow {
  occurrences: number;
  lastAt: string | null;
}

/**
 * Counts one occurrence of an aggregated entry: the first inserts its row, every later one in the
 * same bucket adds 1 in the same statement (`on conflict … do update`, atomic on both dialects,
 * so parallel refusals are all counted and never make a second row).
 */
export async function upsertAggregatedAuditEvent(target: ExecutorOrScope, e: AuditEventRow & { aggregateKey: string }): Promise<void> {
  await executorOf(target)
    .insertInto('audit_event')
    .values({
      id: e.id,
      tenant_id: e.tenantId,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      action: e.action,
      subject_kind: e.subjectKind,
      subject_id: e.subjectId,
      data: e.data,
      ip: e.ip,
      user_agent: e.userAgent,
      created_at: e.createdAt,
      aggregate_key: e.aggregateKey,
      occurrences: 1,
      last_at: e.createdAt,
    })
    .onConflict((oc) =>
      oc.column('aggregate_key').doUpdateSet((eb) => ({
        occurrences: eb('audit_event.occurrences', '+', 1),
        last_at: eb.ref('excluded.last_at'),
      })),
    )
    .execute();
}

/**
 * Reads take the tenant's scope: the table also holds installation-wide events (no tenant), so it
 * is not a scoped table, and the scope's tenant is the only one a read can name.
 */
export async function listAuditActions(scope: TenantScope): Promise<string[]> {
  const rows = await executorOf(scope)
    .selectFrom('audit_event')
    .select('action')
    .where('tenant_id', '=', scope.tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

/** One page of the scope's tenant's audit events, newest first, by keyset on (created_at, id) (index audit_event_tenant_idx). */
export async function listAuditEventsOfTenant(
  scope: TenantScope,
  page: { before?: { createdAt: string; id: string }; limit: number },
): Promise<StoredAuditEvent[]> {
  let query = executorOf(scope).selectFrom('audit_event').selectAll().where('tenant_id', '=', scope.tenantId);
  if (page.before) {
    const { createdAt, id } = page.before;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    data: r.data,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: r.created_at,
    occurrences: Number(r.occurrences),
    lastAt: r.last_at,
  }));
}

/** The operator's view: every organisation's events (or one's), newest first, by keyset on (created_at, id). */
export async function listAuditEventsForOperator(
  db: Executor,
  page: { tenantId?: string | undefined; before?: { createdAt: string; id: string } | undefined; limit: number },
): Promise<(StoredAuditEvent & { tenantName: string | null })[]> {
  const rows = await listAuditRowsAcrossTenants(db, page);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    data: r.data,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: r.created_at,
    occurrences: Number(r.occurrences),
    lastAt: r.last_at,
    tenantName: r.tenant_name ?? null,
  }));
}
