import { z } from 'zod';
import { ZAttachment, ZFileIds } from '../attachments/attachment.schemas.js';
import { ZTicketPriority, ZTicketStatus } from './ticket.schemas.js';

/**
 * The customer portal's ticket contract (ARCHITECTURE.md §6), shared by the server and the web
 * app. Paths are relative to the portal base `B`. Every response is allow-listed: no internal
 * notes, no team emails, no other contacts' data.
 */

export const ZMoney = z.object({ amount: z.number().int(), currency: z.string() });

export const ZPortalTicketSummary = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  /** ISO-8601 UTC; shown in the browser's time zone. */
  scheduledAt: z.string().nullable(),
  charge: ZMoney.nullable(),
  createdAt: z.string(),
  lastActivityAt: z.string(),
});
export type TPortalTicketSummary = z.infer<typeof ZPortalTicketSummary>;

/** GET B/api/tickets?status=open|closed|all&q=&cursor=&limit= — newest activity first, keyset-paginated. */
export const ZListTicketsQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(25),
});
export type TListTicketsQuery = z.input<typeof ZListTicketsQuery>;
export const ZListTicketsResponse = z.object({
  tickets: z.array(ZPortalTicketSummary),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListTicketsResponse = z.infer<typeof ZListTicketsResponse>;

export const ZPortalMessage = z.object({
  id: z.string(),
  /** `contact`: a customer (`isOwn` when it is the signed-in one); `team`: staff, shown as first name + organisation. */
  author: z.object({ kind: z.enum(['contact', 'team', 'system']), name: z.string(), isOwn: z.boolean() }),
  /** Plain text; the web app escapes it and links URLs. */
  body: z.string(),
  /** Files on the message, in upload order. */
  attachments: z.array(ZAttachment),
  createdAt: z.string(),
});
export type TPortalMessage = z.infer<typeof ZPortalMessage>;

export const ZPortalHistoryEntry = z.object({
  at: z.string(),
  status: ZTicketStatus,
  /** Who made the change, as the customer may see it; null for the system. */
  by: z.string().nullable(),
});

export const ZPortalTicketDetail = z.object({
  ticket: ZPortalTicketSummary.extend({
    requester: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
  }),
  messages: z.array(ZPortalMessage),
  history: z.array(ZPortalHistoryEntry),
  /** The quotes on this ticket the customer may see (never drafts), newest sent first; details at `B/api/quotes/{id}`. */
  quotes: z.array(
    z.object({
      id: z.string(),
      /** "Q-12" */
      number: z.string(),
      title: z.string(),
      status: z.string(),
      version: z.number().int(),
      total: z.object({ amount: z.number().int(), currency: z.string() }),
    }),
  ),
  /** What the customer may do now. */
  can: z.object({ reply: z.boolean(), close: z.boolean(), reopenByReply: z.boolean() }),
});
export type TPortalTicketDetail = z.infer<typeof ZPortalTicketDetail>;

export const ZMessageText = z
  .string()
  .max(20_000, { error: 'must be at most 20,000 characters' })
  .refine((v) => v.trim().length > 0, { error: 'is required' });

/** POST B/api/tickets — 201 with the detail; 403 PORTAL_SUBMISSIONS_DISABLED when the tenant turned it off. */
export const ZSubmitTicketRequest = z.strictObject({
  title: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  description: ZMessageText,
  priority: ZTicketPriority.optional(),
  /** Uploads (POST B/api/uploads) of the signed-in customer, attached to the first message. */
  fileIds: ZFileIds,
});
export type TSubmitTicketRequest = z.infer<typeof ZSubmitTicketRequest>;
/** What a client sends (defaults not applied yet). */
export type TSubmitTicketInput = z.input<typeof ZSubmitTicketRequest>;

/** POST B/api/tickets/{id}/messages — 201; reopens a closed ticket (or 409 TICKET_CLOSED when the tenant turned that off). */
export const ZReplyRequest = z
  .strictObject({
    /** May be empty when files are attached. */
    body: z.string().max(20_000, { error: 'must be at most 20,000 characters' }).default(''),
    fileIds: ZFileIds,
  })
  .refine((r) => r.body.trim().length > 0 || r.fileIds.length > 0, { path: ['body'], error: 'is required' });
export type TReplyRequest = z.infer<typeof ZReplyRequest>;
export type TReplyInput = z.input<typeof ZReplyRequest>;
export const ZReplyResponse = z.object({ message: ZPortalMessage, ticket: ZPortalTicketSummary });

/** POST B/api/tickets/{id}/close — the message is required: 400 CLOSING_MESSAGE_REQUIRED when empty. */
export const ZCloseRequest = z.strictObject({ message: z.string().max(20_000, { error: 'must be at most 20,000 characters' }) });

export const ZTicketIdParams = z.object({ slug: z.string(), id: z.string() });
