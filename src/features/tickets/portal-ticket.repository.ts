import { sql } from 'kysely';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { type Ticket, toTicket } from './ticket.repository.js';

/**
 * Ticket reads for the portal, always narrowed to one client — and to one requester where the
 * client's contacts only see their own tickets. The caller passes that audience from the session,
 * never from input.
 */
export interface PortalAudience {
  readonly clientId: string;
  /** Set when the client's visibility is "own": only this contact's tickets. */
  readonly requesterContactId: string | null;
}

export interface PortalListFilter {
  readonly status: 'open' | 'closed' | 'all';
  readonly q?: string;
  readonly after?: { readonly lastActivityAt: string; readonly id: string };
  readonly limit: number;
}

/** `%` and `_` typed by a customer are searched for literally. */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * One page of the audience's tickets, newest activity first, by keyset on (last_activity_at, id):
 * the cost of a page does not grow with the page number (index ticket_client_activity_idx).
 */
export async function listPortalTickets(scope: TenantScope, audience: PortalAudience, filter: PortalListFilter): Promise<Ticket[]> {
  let query = scope.selectFrom('ticket').selectAll().where('ticket.client_id', '=', audience.clientId);
  if (audience.requesterContactId) query = query.where('ticket.requester_contact_id', '=', audience.requesterContactId);
  if (filter.status === 'open') query = query.where('ticket.status', '!=', 'closed');
  if (filter.status === 'closed') query = query.where('ticket.status', '=', 'closed');
  if (filter.q) {
    const q = filter.q;
    const number = /^#?\d{1,9}$/.test(q) ? Number(q.replace('#', '')) : undefined;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(${eb.ref('ticket.title')})`, 'like', sql<string>`${likePattern(q)} escape '\\'`),
        ...(number !== undefined ? [eb('ticket.number', '=', number)] : []),
      ]),
    );
  }
  if (filter.after) {
    const { lastActivityAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('ticket.last_activity_at', '<', lastActivityAt),
        eb.and([eb('ticket.last_activity_at', '=', lastActivityAt), eb('ticket.id', '<', id)]),
      ]),
    );
  }
  const rows = await query.orderBy('ticket.last_activity_at', 'desc').orderBy('ticket.id', 'desc').limit(filter.limit).execute();
  return rows.map(toTicket);
}

/** One ticket if the audience may see it; undefined for another client's or another requester's. */
export async function findPortalTicket(scope: TenantScope, audience: PortalAudience, ticketId: string): Promise<Ticket | undefined> {
  let query = scope.selectFrom('ticket').selectAll().where('ticket.id', '=', ticketId).where('ticket.client_id', '=', audience.clientId);
  if (audience.requesterContactId) query = query.where('ticket.requester_contact_id', '=', audience.requesterContactId);
  const row = await query.executeTakeFirst();
  return row && toTicket(row);
}
