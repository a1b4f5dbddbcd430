import { minorUnitsOf } from './pdf/money.js';

/**
 * Quotes: statuses, transitions and money, with no I/O (imported by the server and the web apps).
 *
 * Money is integer minor units of an ISO-4217 currency; quantities, tax rates and percentages are
 * exact decimal text with at most 3 decimals. All arithmetic is on BigInt, so nothing is lost to
 * floating point. The rounding rule, applied per line and then summed:
 *   1. line net      = quantity × unit price, rounded half away from zero to the minor unit;
 *   2. subtotal      = Σ line nets;
 *   3. discount      = the amount (at most the subtotal), or subtotal × percent / 100 rounded half
 *                      away from zero; it comes off before tax, and is shared among the lines in
 *                      proportion to their nets by largest remainder (ties: the earlier line), so
 *                      the shares add up to the discount exactly;
 *   4. line tax      = (line net − its discount share) × rate / 100, rounded half away from zero;
 *   5. tax           = Σ line taxes;  total = subtotal − discount + tax.
 */

export const QUOTE_STATUSES = ['draft', 'sent', 'changes_requested', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** Statuses in which the customer may still decide. */
export const QUOTE_OPEN_FOR_CUSTOMER: readonly QuoteStatus[] = ['sent', 'changes_requested'];

export const QUOTE_LIMITS = {
  maxLines: 200,
  maxQuantity: 1_000_000,
  /** 10^11 minor units: a billion dollars a unit. */
  maxUnitPrice: 100_000_000_000,
  /** 10^13 minor units; well inside JavaScript's safe integers. */
  maxTotal: 10_000_000_000_000,
  /** The drawn signature's data URL as sent (the image itself is checked by normaliseSignature). */
  maxSignatureDataUrl: 700_000,
} as const;

export interface QuoteLineInput {
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: number;
  readonly taxRatePercent: string | null;
}

export type QuoteDiscountInput =
  { readonly kind: 'amount'; readonly amount: number } | { readonly kind: 'percent'; readonly percent: string };

export interface QuoteLineComputed extends QuoteLineInput {
  readonly net: number;
  readonly discount: number;
  readonly tax: number;
}

export interface QuoteComputed {
  readonly lines: readonly QuoteLineComputed[];
  readonly subtotal: number;
  readonly discount: number;
  readonly tax: number;
  readonly total: number;
}

/** "1.5" → 1500n (thousandths). Throws on anything but plain decimal text with ≤ 3 decimals. */
export function thousandthsOf(decimal: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(decimal.trim());
  if (!match) throw new RangeError(`not a decimal with at most 3 decimals: ${decimal}`);
  return BigInt(match[1]!) * 1000n + BigInt((match[2] ?? '').padEnd(3, '0'));
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -quotient : quotient;
}

/** The totals of a quote by the rule above. Throws QuoteTotalTooLarge past QUOTE_LIMITS.maxTotal. */
export function computeQuote(lines: readonly QuoteLineInput[], discount: QuoteDiscountInput | null): QuoteComputed {
  const nets = lines.map((line) => divideRounded(thousandthsOf(line.quantity) * BigInt(line.unitPrice), 1000n));
  const subtotal = nets.reduce((sum, net) => sum + net, 0n);

  let discountTotal = 0n;
  if (discount?.kind === 'amount') discountTotal = BigInt(discount.amount) < subtotal ? BigInt(discount.amount) : subtotal;
  if (discount?.kind === 'percent') discountTotal = divideRounded(subtotal * thousandthsOf(discount.percent), 100_000n);
  const shares = allocate(discountTotal, nets);

  const taxes = lines.map((line, i) =>
    line.taxRatePercent === null ? 0n : divideRounded((nets[i]! - shares[i]!) * thousandthsOf(line.taxRatePercent), 100_000n),
  );
  const tax = taxes.reduce((sum, t) => sum + t, 0n);
  const total = subtotal - discountTotal + tax;
  if (subtotal > BigInt(QUOTE_LIMITS.maxTotal) || total > BigInt(QUOTE_LIMITS.maxTotal)) throw new QuoteTotalTooLarge();

  return {
    lines: lines.map((line, i) => ({
      ...line,
      net: Number(nets[i]),
      discount: shares[i] === 0n ? 0 : -Number(shares[i]),
      tax: Number(taxes[i]),
    })),
    subtotal: Number(subtotal),
    discount: Number(discountTotal),
    tax: Number(tax),
    total: Number(total),
  };
}

/** `amount` shared among `weights` in proportion, by largest remainder; ties go to the earlier weight. */
function allocate(amount: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((s, w) => s + w, 0n);
  if (amount === 0n || sum === 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (amount * w) / sum);
  let left = amount - shares.reduce((s, x) => s + x, 0n);
  const byRemainder = weights
    .map((w, i) => ({ i, remainder: (amount * w) % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    shares[i] = shares[i]! + 1n;
    left -= 1n;
  }
  return shares;
}

export class QuoteTotalTooLarge extends Error {
  constructor() {
    super('the quote total is larger than Servelo can handle');
  }
}

/** Whether the currency is one we know the minor unit of is not checked here: any 3-letter code has a default of 2. */
export { minorUnitsOf };

/** What each action may start from; anything else is a 409 with the code `refusalOf` names. */
export const QUOTE_TRANSITIONS = {
  edit: ['draft'],
  revise: ['sent', 'changes_requested'],
  send: ['draft'],
  withdraw: ['sent', 'changes_requested'],
  accept: ['sent', 'changes_requested'],
  decline: ['sent', 'changes_requested'],
  request_changes: ['sent', 'changes_requested'],
  expire: ['sent', 'changes_requested'],
} as const satisfies Record<string, readonly QuoteStatus[]>;
export type QuoteAction = keyof typeof QUOTE_TRANSITIONS;

export type QuoteRefusal =
  'QUOTE_NOT_SENT' | 'QUOTE_ALREADY_SENT' | 'QUOTE_ALREADY_DECIDED' | 'QUOTE_EXPIRED' | 'QUOTE_WITHDRAWN' | 'QUOTE_NOT_EDITABLE';

export function canQuote(action: QuoteAction, status: QuoteStatus): boolean {
  return (QUOTE_TRANSITIONS[action] as readonly QuoteStatus[]).includes(status);
}

/** Why `action` is not allowed from `status` (call only when canQuote is false). */
export function refusalOf(action: QuoteAction, status: QuoteStatus): QuoteRefusal {
  if (action === 'send' && (status === 'sent' || status === 'changes_requested')) return 'QUOTE_ALREADY_SENT';
  if (status === 'expired') return 'QUOTE_EXPIRED';
  if (status === 'withdrawn') return 'QUOTE_WITHDRAWN';
  if (status === 'accepted' || status === 'declined')
    return action === 'edit' || action === 'revise' ? 'QUOTE_NOT_EDITABLE' : 'QUOTE_ALREADY_DECIDED';
  return 'QUOTE_NOT_SENT';
}

/** "Q-12" */
export function quoteNumberText(number: number): string {
  return `Q-${number}`;
}

/**
 * The instant a quote valid until `date` (YYYY-MM-DD) lapses: the start of the next day in the
 * organisation's time zone, so a quote "valid until 12 May" can be accepted all of 12 May there.
 */
export function lapsesAt(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const nextMidnightUtc = Date.UTC(y, m - 1, d + 1);
  const nextDate = new Date(nextMidnightUtc).toISOString().slice(0, 10);
  // The next day starts at its local midnight, at the offset in force then. Where a change of
  // offset falls on that midnight (Santiago moves its clocks at 00:00), the midnight may not exist
  // or the day may start an hour later: try the offsets of the day before, the moment itself and
  // the day after, and keep the earliest instant whose local date is already the next day.
  const candidates = [-86_400_000, 0, 86_400_000].map((shift) => nextMidnightUtc - offsetMs(nextMidnightUtc + shift, timeZone));
  const starts = candidates.filter((at) => dateIn(timeZone, new Date(at)) >= nextDate).sort((a, b) => a - b);
  return new Date(starts[0] ?? candidates[1]!);
}

function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Today's date (YYYY-MM-DD) in a time zone, `days` later. */
export function dateIn(timeZone: string, now: Date, days = 0): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(Date.UTC(part('year'), part('month') - 1, part('day') + days)).toISOString().slice(0, 10);
}
