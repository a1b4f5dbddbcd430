import type { ActorKind, TicketStatus } from '../../platform/db/database.js';
import { fromDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';

export interface TicketEvent {
  readonly id: string;
  readonly kind: 'created' | 'status_changed';
  readonly status: TicketStatus | null;
  readonly actor: { readonly kind: ActorKind; readonly id: string | null };
  readonly at: Date;
}

export async function insertTicketEvent(
  scope: TenantScope,
  e: {
    id: string;
    ticketId: string;
    kind: 'created' | 'status_changed';
    status: TicketStatus;
    actorKind: ActorKind;
    actorId: string | null;
    now: string;
  },
): Promise<void> {
  await scope
    .insertInto('ticket_event', {
      id: e.id,
      ticket_id: e.ticketId,
      kind: e.kind,
      status: e.status,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      created_at: e.now,
    })
    .execute();
}

/** A ticket's history, oldest first. */
export async function listTicketEvents(scope: TenantScope, ticketId: string): Promise<TicketEvent[]> {
  const rows = await scope
    .selectFrom('ticket_event')
    .selectAll()
    .where('ticket_event.ticket_id', '=', ticketId)
    .orderBy('ticket_event.created_at')
    .orderBy('ticket_event.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    actor: { kind: r.actor_kind, id: r.actor_id },
    at: fromDbTime(r.created_at),
  }));
}
