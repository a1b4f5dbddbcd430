import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import { newId } from '../../platform/ids.js';
import { hashToken } from '../../platform/crypto.js';
import {
  type AuditEventRow,
  insertAuditEvent,
  listAuditActions,
  listAuditEventsForOperator,
  listAuditEventsOfTenant,
  type StoredAuditEvent,
  upsertAggregatedAuditEvent,
} from './audit.repository.js';
import { type ExecutorOrScope, forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import type { TeamViewer } from '../team/team-viewer.js';

export type { AuditEventRow, StoredAuditEvent } from './audit.repository.js';

export interface AuditEvent {
  readonly tenantId: string | null;
  readonly actor: { readonly kind: 'contact' | 'team_member' | 'operator' | 'system'; readonly id?: string | null };
  readonly action: string;
  readonly subject?: { readonly kind: string; readonly id: string };
  readonly data?: Record<string, unknown>;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** Who did it, for an audit event: the signed-in member, from where. */
export function teamAuditActor(viewer: TeamViewer, meta: RequestMeta): Pick<AuditEvent, 'actor' | 'ip' | 'userAgent'> {
  return { actor: { kind: 'team_member', id: viewer.memberId }, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null };
}

/**
 * What an update changes, field by field, as an audit event records it (`{ name: { from, to } }`).
 * A field absent from `after` (undefined) is not being changed; an equal value is no change.
 */
export function changesOf<T extends object, K extends keyof T & string>(
  before: T,
  after: Partial<T>,
  fields: readonly K[],
): Record<string, { from: T[K]; to: T[K] }> {
  const changes: Record<string, { from: T[K]; to: T[K] }> = {};
  for (const field of fields) {
    const to = after[field];
    if (to !== undefined && before[field] !== to) changes[field] = { from: before[field], to: to as T[K] };
  }
  return changes;
}

/** Records one audit event, in the caller's transaction so it commits with the change it describes. */
export async function recordAuditEvent(db: ExecutorOrScope, clock: Clock, event: AuditEvent): Promise<void> {
  await insertAuditEvent(db, rowOf(clock, event));
}

/** An event that may happen very often (a refusal, a failed attempt): counted per hour rather than logged each time. */
export interface AggregatedAuditEvent extends AuditEvent {
  readonly tenantId: string;
  /**
   * What else makes two occurrences the same entry, besides tenant, action, actor and hour (the
   * address tried, the route refused). Only values an attacker cannot multiply at will belong here.
   */
  readonly sameWhen: readonly (string | null)[];
}

/**
 * Counts an occurrence on the one entry of its (tenant, action, actor, `sameWhen`, UTC hour): an
 * attacker who repeats a refused request a million times adds to a count, not to the log. The
 * entry's data, address and user agent are those of the hour's first occurrence.
 */
export async function recordAggregatedAuditEvent(db: ExecutorOrScope, clock: Clock, event: AggregatedAuditEvent): Promise<void> {
  const row = rowOf(clock, event);
  const hour = row.createdAt.slice(0, 13);
  const bucket = [event.tenantId, event.action, event.actor.kind, event.actor.id ?? null, hour, ...event.sameWhen];
  await upsertAggregatedAuditEvent(db, { ...row, aggregateKey: hashToken(JSON.stringify(bucket)) });
}

function rowOf(clock: Clock, event: AuditEvent): AuditEventRow {
  return {
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
  };
}

/** The actions recorded for a tenant, oldest first (the team's audit page comes with the team app). */
export async function listTenantAuditActions(db: Executor, tenantId: string): Promise<string[]> {
  return listAuditActions(forTenant(db, tenantId));
}

/** One page of a tenant's audit events, newest first (keyset on time and id). */
export async function listTenantAuditEvents(
  scope: TenantScope,
  page: { before?: { createdAt: string; id: string }; limit: number },
): Promise<StoredAuditEvent[]> {
  return listAuditEventsOfTenant(scope, page);
}

/** The installation's audit log for the operator console: all organisations (or one), newest first. */
export async function listAuditEventsAcrossTenants(
  db: Executor,
  page: { tenantId?: string | undefined; before?: { createdAt: string; id: string } | undefined; limit: number },
): Promise<(StoredAuditEvent & { tenantName: string | null })[]> {
  return listAuditEventsForOperator(db, page);
}
