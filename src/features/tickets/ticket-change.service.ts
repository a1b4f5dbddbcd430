import type { Clock } from '../../platform/clock.js';
import type { TicketPriority, TicketStatus } from '../../platform/db/database.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { insertTicketEvents, type NewTicketEvent } from './ticket-event.repository.js';
import { findTicketById, lockTicket, type TicketPatch, updateTicket } from './ticket.repository.js';
import type { Actor, Ticket } from './ticket.service.js';

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Fields to change; a field left out stays as it is (null clears assignee, schedule and charge). */
export interface TicketChanges {
  readonly status?: TicketStatus;
  readonly priority?: TicketPriority;
  readonly assigneeId?: string | null;
  readonly scheduledAt?: Date | null;
  readonly charge?: Money | null;
}

/** How a charge is kept in the history: JSON, so old and new values read back exactly. */
export function chargeToHistory(charge: Money | null): string | null {
  return charge ? JSON.stringify({ amount: charge.amount, currency: charge.currency }) : null;
}

const sameCharge = (a: Money | null, b: Money | null) => a?.amount === b?.amount && a?.currency === b?.currency;
const sameTime = (a: Date | null, b: Date | null) => a?.getTime() === b?.getTime();

/**
 * Changes a ticket's fields inside the caller's transaction (it joins or opens one): every field
 * that really changes is written and recorded as one history event with its old and new value; a
 * value equal to the current one records nothing. Closing stamps closed_at/closed_by, reopening
 * clears them, and a status change is new activity (lists sort it first). The caller has checked
 * that an assignee may be assigned.
 * @throws TICKET_NOT_FOUND
 */
export async function changeTicket(
  scope: TenantScope,
  clock: Clock,
  ticketId: string,
  changes: TicketChanges,
  actor: Actor,
): Promise<{ ticket: Ticket; changed: readonly NewTicketEvent['kind'][] }> {
  return scope.transaction(async (tx) => {
    // Lock first, then read: two concurrent changes cannot both see the old value and both record it.
    if (!(await lockTicket(tx, ticketId))) throw new AppError('TICKET_NOT_FOUND');
    const before = await findTicketById(tx, ticketId);
    if (!before) throw new AppError('TICKET_NOT_FOUND');
    const now = clock.now();
    const at = toDbTime(now);
    const patch: TicketPatch = {};
    const events: NewTicketEvent[] = [];
    const event = (kind: NewTicketEvent['kind'], from: string | null, to: string | null, status?: TicketStatus) =>
      events.push({
        id: newId(now.getTime()),
        ticketId,
        kind,
        status: status ?? null,
        from,
        to,
        actorKind: actor.kind,
        actorId: actor.id,
        now: at,
      });

    if (changes.status !== undefined && changes.status !== before.status) {
      const closing = changes.status === 'closed';
      Object.assign(patch, {
        status: changes.status,
        last_activity_at: at,
        closed_at: closing ? at : null,
        closed_by_kind: closing ? actor.kind : null,
        closed_by_id: closing ? actor.id : null,
      });
      event('status_changed', before.status, changes.status, changes.status);
    }
    if (changes.priority !== undefined && changes.priority !== before.priority) {
      patch.priority = changes.priority;
      event('priority_changed', before.priority, changes.priority);
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== before.assigneeId) {
      patch.assignee_id = changes.assigneeId;
      event('assignee_changed', before.assigneeId, changes.assigneeId);
    }
    if (changes.scheduledAt !== undefined && !sameTime(changes.scheduledAt, before.scheduledAt)) {
      patch.scheduled_at = changes.scheduledAt ? toDbTime(changes.scheduledAt) : null;
      event('scheduled_changed', before.scheduledAt ? toDbTime(before.scheduledAt) : null, patch.scheduled_at);
    }
    if (changes.charge !== undefined && !sameCharge(changes.charge, before.charge)) {
      patch.charge_amount = changes.charge?.amount ?? null;
      patch.charge_currency = changes.charge?.currency ?? null;
      event('charge_changed', chargeToHistory(before.charge), chargeToHistory(changes.charge));
    }
    if (events.length === 0) return { ticket: before, changed: [] };

    await updateTicket(tx, ticketId, { ...patch, updated_at: at });
    await insertTicketEvents(tx, events);
    const ticket = await findTicketById(tx, ticketId);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    return { ticket, changed: events.map((e) => e.kind) };
  });
}
