import type { Executor } from '../../platform/db/database.js';

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
export async function insertAuditEvent(db: Executor, e: AuditEventRow): Promise<void> {
  await db
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

export async function listAuditActions(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select('action')
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}
