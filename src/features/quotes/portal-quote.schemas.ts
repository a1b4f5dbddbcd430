import { z } from 'zod';
import { QUOTE_LIMITS } from './quote.domain.js';
import { ZQuoteDiscount, ZQuoteLine, ZQuoteMoney, ZQuoteStatus, ZQuoteTicketRef, ZQuoteTotals } from './quote.schemas.js';

/**
 * The customer portal's quotes contract (paths relative to the portal base `B`). A customer sees
 * the quotes of the tickets they may see, and those sent to them; never drafts. Another client's
 * or organisation's quote is 404 QUOTE_NOT_FOUND for every read and write.
 */

/** waiting: sent or changes requested, for the customer to decide. */
export const PORTAL_QUOTE_FILTERS = ['waiting', 'accepted', 'declined', 'expired', 'all'] as const;

export const ZPortalQuoteListQuery = z.strictObject({ status: z.enum(PORTAL_QUOTE_FILTERS).default('all') });

export const ZPortalQuoteSummary = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  /** Never `draft`. */
  status: ZQuoteStatus,
  version: z.number().int(),
  total: ZQuoteMoney,
  validUntil: z.string().nullable(),
  requiresSignature: z.boolean(),
  sentAt: z.string().nullable(),
  ticket: ZQuoteTicketRef.nullable(),
});
export type TPortalQuoteSummary = z.infer<typeof ZPortalQuoteSummary>;

export const ZPortalQuoteList = z.object({ quotes: z.array(ZPortalQuoteSummary) });

/** GET B/api/quotes/{id} — the current version; the first customer view is recorded (and the team told). */
export const ZPortalQuoteDetail = z.object({
  quote: ZPortalQuoteSummary.extend({
    clientName: z.string(),
    lines: z.array(ZQuoteLine),
    discount: ZQuoteDiscount.nullable(),
    totals: ZQuoteTotals,
    terms: z.string(),
    /** The organisation's locale and time zone, to format money and dates as the organisation does. */
    locale: z.string(),
    timeZone: z.string(),
  }),
  acceptance: z.object({ version: z.number().int(), signerName: z.string(), acceptedAt: z.string(), contentSha256: z.string() }).nullable(),
  decline: z.object({ at: z.string(), reason: z.string().nullable() }).nullable(),
  can: z.object({ accept: z.boolean(), decline: z.boolean(), requestChanges: z.boolean() }),
});
export type TPortalQuoteDetail = z.infer<typeof ZPortalQuoteDetail>;

/**
 * POST B/api/quotes/{id}/accept — `version` is the version the customer read (409
 * QUOTE_SUPERSEDED when it is no longer current). When the quote requires a signature, give a
 * drawn one (a PNG data URL from the signature pad) or type the full name (`typed`, which must
 * equal `signerName`); otherwise `signature` may be omitted. 400 SIGNATURE_REQUIRED / SIGNATURE_INVALID.
 */
export const ZAcceptQuoteRequest = z.strictObject({
  version: z.number().int().min(1),
  signerName: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  signature: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('drawn'), dataUrl: z.string().max(QUOTE_LIMITS.maxSignatureDataUrl, { error: 'is too large' }) }),
      z.strictObject({ kind: z.literal('typed') }),
    ])
    .optional(),
});
export type TAcceptQuoteRequest = z.infer<typeof ZAcceptQuoteRequest>;

/** POST B/api/quotes/{id}/decline */
export const ZDeclineQuoteRequest = z.strictObject({
  reason: z.string().trim().max(2000, { error: 'must be at most 2,000 characters' }).optional(),
});

/** POST B/api/quotes/{id}/request-changes — posts the message on the quote's ticket (opening one when it has none). */
export const ZRequestQuoteChangesRequest = z.strictObject({
  message: z
    .string()
    .max(20_000, { error: 'must be at most 20,000 characters' })
    .refine((v) => v.trim().length > 0, { error: 'is required' }),
});
export const ZRequestQuoteChangesResponse = ZPortalQuoteDetail.extend({ ticketId: z.string() });

export const ZQuoteIdParams = z.object({ slug: z.string(), id: z.string().max(64) });
