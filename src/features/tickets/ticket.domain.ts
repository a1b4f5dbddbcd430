/**
 * The ticket's words, defined once: the database types, the request schemas (server and web) and
 * the services all read them from here.
 */

/** Every status a ticket can have, in the order a person reads them; `closed` is the only final one. */
export const TICKET_STATUSES = ['new', 'open', 'scheduled', 'in_progress', 'waiting_on_customer', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Every status but `closed`: what "open tickets" means on both surfaces. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = TICKET_STATUSES.filter((s) => s !== 'closed');

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Priorities in order, stored beside the priority so the inbox can sort on an index. */
export const PRIORITY_RANK: Readonly<Record<TicketPriority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

export const TICKET_SOURCES = ['portal', 'email', 'app'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** What a search box asks for: text, and the ticket number it may name. */
export interface TicketSearch {
  readonly text: string;
  readonly number: number | null;
  /** `#12`: the ticket numbered 12 and nothing else (an index lookup). */
  readonly numberOnly: boolean;
}

/**
 * One meaning of a ticket search on every surface: `#12` is ticket number 12 only; a bare `12`
 * is that number or text containing it ("12 Main St"); anything else is text. Blank is no search.
 */
export function parseTicketSearch(q: string | undefined): TicketSearch | null {
  const text = q?.trim() ?? '';
  if (text === '') return null;
  const match = /^(#?)(\d{1,9})$/.exec(text);
  return { text, number: match ? Number(match[2]) : null, numberOnly: match?.[1] === '#' };
}
