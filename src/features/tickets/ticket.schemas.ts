import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from './ticket.domain.js';

// The web apps import only *.schemas.ts: the ticket's words reach them from here.
export { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from './ticket.domain.js';

export const ZTicketStatus = z.enum(TICKET_STATUSES);
export const ZTicketPriority = z.enum(TICKET_PRIORITIES);

export const ZCharge = z.strictObject({
  /** Integer minor units (cents). */
  amount: z.number().int().min(0).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code like USD' }),
});

export const ZTicketTitle = z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' });
export const ZMessageBody = z.string().max(20_000, { error: 'must be at most 20,000 characters' });

export const ZCreateTicketRequest = z.strictObject({
  clientId: z.string(),
  requesterContactId: z.string().nullable().optional(),
  title: ZTicketTitle,
  body: ZMessageBody.optional(),
  priority: ZTicketPriority.default('normal'),
  status: ZTicketStatus.default('new'),
  scheduledAt: z.iso.datetime({ offset: true }).nullable().optional(),
  charge: ZCharge.nullable().optional(),
  source: z.enum(TICKET_SOURCES),
});
export type TCreateTicketRequest = z.input<typeof ZCreateTicketRequest>;
