import { z } from 'zod';
import { QUOTE_LIMITS, QUOTE_STATUSES } from './quote.domain.js';
import { ZQuoteDiscount, ZQuoteLine, ZQuoteMoney, ZQuoteStatus, ZQuoteTicketRef, ZQuoteTotals } from './quote.schemas.js';

/**
 * The team app's quotes contract (`/api/team/quotes…`), shared by the server and the web app; any
 * role. Another organisation's ids answer 404 QUOTE_NOT_FOUND like missing ones. Every transition
 * that is not allowed answers 409 with a stable code (QUOTE_ALREADY_SENT, QUOTE_NOT_EDITABLE,
 * QUOTE_ALREADY_DECIDED, QUOTE_WITHDRAWN, QUOTE_EXPIRED …).
 */

const decimal = (max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,9}(\.\d{1,3})?$/, { error: `must be a number with at most 3 decimals` })
    .refine((v) => Number(v) <= max, { error: `${what} must be at most ${max.toLocaleString('en')}` });

/** A line as the team enters it; totals are computed by the server. */
export const ZQuoteLineInput = z.strictObject({
  description: z.string().trim().min(1, { error: 'is required' }).max(2000, { error: 'must be at most 2,000 characters' }),
  quantity: decimal(QUOTE_LIMITS.maxQuantity, 'the quantity').refine((v) => Number(v) > 0, { error: 'must be more than 0' }),
  /** Minor units of the organisation's currency (cents for USD, yen for JPY). */
  unitPrice: z
    .number()
    .int({ error: 'must be a whole number of minor units' })
    .min(0, { error: 'cannot be negative' })
    .max(QUOTE_LIMITS.maxUnitPrice, { error: 'is too large' }),
  taxRatePercent: decimal(100, 'the tax rate').nullable().default(null),
});
export type TQuoteLineInput = z.input<typeof ZQuoteLineInput>;

export const ZQuoteDiscountInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('amount'),
    amount: z.number().int().min(0, { error: 'cannot be negative' }).max(QUOTE_LIMITS.maxTotal),
  }),
  z.strictObject({ kind: z.literal('percent'), percent: decimal(100, 'the discount') }),
]);

const ZDate = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });

const quoteFields = {
  title: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  lines: z
    .array(ZQuoteLineInput)
    .min(1, { error: 'a quote needs at least one line' })
    .max(QUOTE_LIMITS.maxLines, { error: `a quote has at most ${QUOTE_LIMITS.maxLines} lines` }),
  discount: ZQuoteDiscountInput.nullable(),
  validUntil: ZDate.nullable(),
  terms: z.string().max(20_000, { error: 'must be at most 20,000 characters' }),
  requiresSignature: z.boolean(),
  /** Contacts of the client to email when sent; empty: every active contact of the client. */
  recipientContactIds: z.array(z.string().max(64)).max(50),
};

/**
 * POST /api/team/quotes — a draft. `terms` defaults to the organisation's default terms,
 * `validUntil` to 30 days from today; the currency is the organisation's.
 */
export const ZCreateQuoteRequest = z.strictObject({
  clientId: z.string().trim().min(1).max(64),
  ticketId: z.string().trim().min(1).max(64).nullable().default(null),
  title: quoteFields.title,
  lines: quoteFields.lines,
  discount: quoteFields.discount.default(null),
  validUntil: quoteFields.validUntil.optional(),
  terms: quoteFields.terms.optional(),
  requiresSignature: quoteFields.requiresSignature.default(false),
  recipientContactIds: quoteFields.recipientContactIds.default([]),
});
export type TCreateQuoteRequest = z.input<typeof ZCreateQuoteRequest>;

/**
 * PATCH /api/team/quotes/{id} — a draft changes in place; a sent quote (or one with changes
 * requested) gets a new version that supersedes the current one, is sent at once and emailed to
 * its recipients. 409 QUOTE_NOT_EDITABLE once accepted, declined, expired or withdrawn.
 */
export const ZUpdateQuoteRequest = z.strictObject({
  title: quoteFields.title.optional(),
  lines: quoteFields.lines.optional(),
  discount: quoteFields.discount.optional(),
  validUntil: quoteFields.validUntil.optional(),
  terms: quoteFields.terms.optional(),
  requiresSignature: quoteFields.requiresSignature.optional(),
  recipientContactIds: quoteFields.recipientContactIds.optional(),
});
export type TUpdateQuoteRequest = z.input<typeof ZUpdateQuoteRequest>;

/** POST /api/team/quotes/{id}/send — a draft becomes sent; emails the chosen contacts (or the quote's recipients, or all). */
export const ZSendQuoteRequest = z.strictObject({ recipientContactIds: quoteFields.recipientContactIds.optional() });

/** GET /api/team/quotes — newest change first, keyset pages. */
export const ZTeamQuoteListQuery = z.strictObject({
  /** `all` (default), `open` (draft, sent, changes requested), or one status. */
  status: z.enum(['all', 'open', ...QUOTE_STATUSES]).default('all'),
  clientId: z.string().trim().min(1).max(64).optional(),
  ticketId: z.string().trim().min(1).max(64).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type TTeamQuoteListQuery = z.input<typeof ZTeamQuoteListQuery>;

export const ZTeamQuoteRow = z.object({
  id: z.string(),
  /** "Q-12": per organisation, display only. */
  number: z.string(),
  title: z.string(),
  status: ZQuoteStatus,
  version: z.number().int(),
  client: z.object({ id: z.string(), name: z.string() }),
  ticket: ZQuoteTicketRef.nullable(),
  total: ZQuoteMoney,
  validUntil: z.string().nullable(),
  requiresSignature: z.boolean(),
  sentAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TTeamQuoteRow = z.infer<typeof ZTeamQuoteRow>;

export const ZTeamQuoteList = z.object({
  quotes: z.array(ZTeamQuoteRow),
  nextCursor: z.string().nullable(),
  /** Per status, for the filter tabs (first page only; null on later pages). */
  counts: z.record(z.string(), z.number().int()).nullable(),
});
export type TTeamQuoteList = z.infer<typeof ZTeamQuoteList>;

export const ZQuoteEvent = z.object({
  at: z.string(),
  /** created · edited · sent · revised (new version) · viewed (first view by a customer) · accepted · declined · changes_requested · withdrawn · expired · duplicated */
  kind: z.string(),
  /** Who: a member's or contact's name; null for the system. */
  by: z.string().nullable(),
  version: z.number().int(),
  /** Decline reason or change request text, when there is one. */
  detail: z.string().nullable(),
});

export const ZTeamQuoteDetail = z.object({
  quote: ZTeamQuoteRow.extend({
    lines: z.array(ZQuoteLine),
    discount: ZQuoteDiscount.nullable(),
    totals: ZQuoteTotals,
    terms: z.string(),
    recipients: z.array(z.object({ contactId: z.string(), name: z.string(), email: z.string() })),
    firstViewed: z.object({ at: z.string(), by: z.string() }).nullable(),
  }),
  versions: z.array(
    z.object({
      version: z.number().int(),
      createdAt: z.string(),
      createdBy: z.string().nullable(),
      total: ZQuoteMoney,
      contentSha256: z.string(),
      current: z.boolean(),
    }),
  ),
  acceptance: z
    .object({
      version: z.number().int(),
      signerName: z.string(),
      contact: z.object({ id: z.string(), name: z.string(), email: z.string() }),
      acceptedAt: z.string(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      contentSha256: z.string(),
      signature: z.enum(['drawn', 'typed', 'none']),
    })
    .nullable(),
  decline: z.object({ by: z.string(), at: z.string(), reason: z.string().nullable() }).nullable(),
  events: z.array(ZQuoteEvent),
  can: z.object({ edit: z.boolean(), send: z.boolean(), withdraw: z.boolean(), duplicate: z.boolean() }),
});
export type TTeamQuoteDetail = z.infer<typeof ZTeamQuoteDetail>;

export const ZTeamQuoteIdParams = z.object({ id: z.string().max(64) });

/** GET/PUT /api/team/quote-settings — the organisation's default terms for new quotes (owner/admin to change). */
export const ZQuoteSettings = z.strictObject({ defaultTerms: z.string().max(20_000, { error: 'must be at most 20,000 characters' }) });
