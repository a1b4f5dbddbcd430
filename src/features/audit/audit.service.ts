import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { newId } from '../../platform/ids.js';
import { type AuditEventRow, insertAuditEvent, listAuditActions, listAuditEventsOfTenant } from './audit.repository.js';

export type { AuditEventRow } from './audit.repository.js';

export interface AuditEvent {
  readonly tenantId: string | null;
  readonly actor: { readonly kind: 'contact' | 'team_member' | 'operator' | 'system'; readonly id?: string | null };
  readonly action: string;
  readonly subject?: { readonly kind: string; readonly id: string };
  readonly data?: Record<string, unknown>;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** Records one audit event, in the caller's transaction so it commits with the change it describes. */
export async function recordAuditEvent(db: Executor, clock: Clock, event: AuditEvent): Promise<void> {
  await insertAuditEvent(db, {
    id: newId(),
    tenantId: event.tenantId,
    actorKind: event.actor.kind,
    actorId: event.actor.id ?? null,
    action: event.action,
    subjectKind: event.subject?.kind ?? null,
    subjectId: event.subject?.id ?? null,
    data: event.data ? JSON.stringify(event.data) : null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    createdAt: toDbTime(clock.now()),
  });
}

/** The actions recorded for a tenant, oldest first (the team's audit page comes with the team app). */
export async function listTenantAuditActions(db: Executor, tenantId: string): Promise<string[]> {
  return listAuditActions(db, tenantId);
}

/** One page of a tenant's audit events, newest first (keyset on time and id). */
export async function listTenantAuditEvents(
  db: Executor,
  tenantId: string,
  page: { before?: { createdAt: string; id: string }; limit: number },
): Promise<AuditEventRow[]> {
  return listAuditEventsOfTenant(db, tenantId, page);
}
