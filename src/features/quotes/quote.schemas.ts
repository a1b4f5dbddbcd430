import { z } from 'zod';
import { QUOTE_STATUSES } from './quote.domain.js';

/** The pure quote rules the web apps share with the server (no I/O): re-exported here because web code imports only `*.schemas.ts`. */
export { computeQuote, dateIn, minorUnitsOf, QUOTE_LIMITS, QUOTE_STATUSES, QuoteTotalTooLarge } from './quote.domain.js';

/**
 * What both audiences' quote contracts share (team-quote.schemas.ts, portal-quote.schemas.ts).
 * Money is an integer amount in minor units of the quote's ISO-4217 currency (0 decimals for JPY,
 * 2 for USD, 3 for BHD); quantities and tax rates are exact decimal text ("1.5", "8.25"), never
 * floats; dates without a time (valid until) are `YYYY-MM-DD` in the organisation's time zone.
 */

export const ZQuoteStatus = z.enum(QUOTE_STATUSES);

export const ZQuoteMoney = z.object({ amount: z.number().int(), currency: z.string() });

/** One line as stored and shown: what was entered plus what the server computed. */
export const ZQuoteLine = z.object({
  description: z.string(),
  /** Decimal text, up to 3 decimals. */
  quantity: z.string(),
  /** Minor units. */
  unitPrice: z.number().int(),
  /** Decimal text percent ("8.25"), or null for no tax. */
  taxRatePercent: z.string().nullable(),
  /** quantity × unit price, rounded half away from zero to the minor unit. */
  net: z.number().int(),
  /** This line's share of the discount (negative or 0). */
  discount: z.number().int(),
  /** Tax on the discounted net, rounded half away from zero. */
  tax: z.number().int(),
});
export type TQuoteLine = z.infer<typeof ZQuoteLine>;

export const ZQuoteDiscount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amount: z.number().int() }),
  z.object({ kind: z.literal('percent'), percent: z.string() }),
]);

export const ZQuoteTotals = z.object({
  currency: z.string(),
  /** Σ line nets. */
  subtotal: z.number().int(),
  /** The discount as a non-negative amount subtracted before tax. */
  discount: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
});
export type TQuoteTotals = z.infer<typeof ZQuoteTotals>;

/** The ticket a quote belongs to, if any. */
export const ZQuoteTicketRef = z.object({ id: z.string(), number: z.number().int(), title: z.string() });
