import type { ActorKind, TicketEventKind } from '../../platform/db/database.js';
import type { TicketStatus } from './ticket.domain.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface TicketEvent {
  readonly id: string;
  readonly kind: TicketEventKind;
  /** The new status of `created` and `status_changed` events; null for the other kinds. */
  readonly status: TicketStatus | null;
  /** Old and new value as stored (a status, a priority, a member id, an ISO time, a charge as JSON); null: none. */
  readonly from: string | null;
  readonly to: string | null;
  readonly actor: { readonly kind: ActorKind; readonly id: string | null };
  readonly at: Date;
}

export interface NewTicketEvent {
  id: string;
  ticketId: string;
  kind: TicketEventKind;
  /** Only for `created` and `status_changed`. */
  status?: TicketStatus | null;
  from?: string | null;
  to?: string | null;
  actorKind: ActorKind;
  actorId: string | null;
  now: string;
}

function eventValues(e: NewTicketEvent) {
  return {
    id: e.id,
    ticket_id: e.ticketId,
    kind: e.kind,
    status: e.status ?? null,
    // A status event's new value is its status, so every change reads the same way.
    from_value: e.from ?? null,
    to_value: e.to ?? (e.kind === 'status_changed' ? (e.status ?? null) : null),
    actor_kind: e.actorKind,
    actor_id: e.actorId,
    created_at: e.now,
  };
}

/** Several events of one change, in one statement. */
export async function insertTicketEvents(scope: TenantScope, events: readonly NewTicketEvent[]): Promise<void> {
  if (events.length === 0) return;
  await scope.insertInto('ticket_event', events.map(eventValues)).execute();
}

/** A ticket's history, oldest first; with `range`, only events in (after, until] (at most 100). */
export async function listTicketEvents(
  scope: TenantScope,
  ticketId: string,
  range?: { readonly after: string; readonly until: string },
): Promise<TicketEvent[]> {
  let query = scope.selectFrom('ticket_event').selectAll().where('ticket_event.ticket_id', '=', ticketId);
  if (range)
    query = query.where('ticket_event.created_at', '>', range.after).where('ticket_event.created_at', '<=', range.until).limit(100);
  const rows = await query.orderBy('ticket_event.created_at').orderBy('ticket_event.id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status as TicketStatus | null,
    from: r.from_value,
    to: r.to_value,
    actor: { kind: r.actor_kind, id: r.actor_id },
    at: fromDbTime(r.created_at),
  }));
}
