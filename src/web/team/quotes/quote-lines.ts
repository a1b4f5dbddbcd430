import type { z } from 'zod';
import type { TQuoteLineInput, ZQuoteDiscountInput } from '../../../features/quotes/team-quote.schemas.js';
import type { TQuoteLine } from '../../../features/quotes/quote.schemas.js';
import { formatMoneyInput, parseMoneyInput } from '../lib/money-input.js';
import { computeQuote, minorUnitsOf, QUOTE_LIMITS, QuoteTotalTooLarge } from '../../../features/quotes/quote.schemas.js';

/**
 * The quote editor's lines and discount as typed (text, in the organisation's locale) and how they
 * become the API's input: quantities and rates as exact decimal text with a point and at most 3
 * decimals, unit prices and amounts as integer minor units of the currency (its ISO 4217 decimals).
 * Pure, so the rules are tested without a browser.
 */

export type TQuoteDiscountInput = z.input<typeof ZQuoteDiscountInput>;

export type LineField = 'description' | 'quantity' | 'unitPrice' | 'taxRatePercent';
export type LineErrors = Partial<Record<LineField, string>>;

export interface LineDraft {
  /** A stable React key for the row (lines move). */
  readonly key: string;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
  /** Empty: no tax on this line. */
  readonly taxRatePercent: string;
}

export type DiscountDraft =
  { readonly kind: 'none' } | { readonly kind: 'amount'; readonly text: string } | { readonly kind: 'percent'; readonly text: string };

export interface MoneyFormat {
  readonly currency: string;
  readonly locale: string;
}

let nextKey = 0;
export function newLineKey(): string {
  nextKey += 1;
  return `line-${nextKey}`;
}

export function emptyLine(): LineDraft {
  return { key: newLineKey(), description: '', quantity: '1', unitPrice: '', taxRatePercent: '' };
}

/** A stored line as the editor shows it. */
export function lineDraftOf(
  line: Pick<TQuoteLine, 'description' | 'quantity' | 'unitPrice' | 'taxRatePercent'>,
  money: MoneyFormat,
): LineDraft {
  return {
    key: newLineKey(),
    description: line.description,
    quantity: decimalInputOf(line.quantity, money.locale),
    unitPrice: formatMoneyInput(line.unitPrice, money.currency, money.locale, minorUnitsOf(money.currency)),
    taxRatePercent: line.taxRatePercent === null ? '' : decimalInputOf(line.taxRatePercent, money.locale),
  };
}

function decimalMarkOf(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
}

/** "1.5" as the locale types it ("1,5" in German). */
export function decimalInputOf(text: string, locale: string): string {
  const mark = decimalMarkOf(locale);
  return mark === '.' ? text : text.replace('.', mark);
}

export type DecimalParse = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

/**
 * A quantity, rate or percent typed with the locale's decimal mark (or a point): "1,5" → "1.5",
 * ".25" → "0.25". At most 3 decimals and `max`; no grouping, no sign.
 */
export function parseDecimalInput(text: string, locale: string, max: number): DecimalParse {
  const cleaned = text.trim().replace(decimalMarkOf(locale), '.');
  if (cleaned.startsWith('-')) return { ok: false, error: 'Cannot be negative.' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, error: 'Enter a number.' };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if ((match[2] ?? '').length > 3 && fraction.length > 3) return { ok: false, error: 'Use at most 3 decimals.' };
  const whole = (match[1] ?? '').replace(/^0+(?=\d)/, '') || '0';
  if (whole.length > 9 || Number(`${whole}.${fraction || '0'}`) > max)
    return { ok: false, error: `Must be at most ${max.toLocaleString(locale)}.` };
  return { ok: true, value: fraction ? `${whole}.${fraction}` : whole };
}

/** One typed line as the API's input, or what is wrong with each of its fields. */
export function parseLineDraft(
  draft: LineDraft,
  money: MoneyFormat,
): { readonly ok: true; readonly line: TQuoteLineInput } | { readonly ok: false; readonly errors: LineErrors } {
  const errors: LineErrors = {};
  if (!draft.description.trim()) errors.description = 'Describe the work or the item.';
  const quantity = parseDecimalInput(draft.quantity, money.locale, QUOTE_LIMITS.maxQuantity);
  if (!quantity.ok) errors.quantity = quantity.error;
  else if (quantity.value === '0') errors.quantity = 'Must be more than 0.';
  const price = parseMoneyInput(draft.unitPrice, money.currency, money.locale, {
    digits: minorUnitsOf(money.currency),
    max: QUOTE_LIMITS.maxUnitPrice,
    negativeError: 'A price cannot be negative.',
  });
  if (!price.ok) errors.unitPrice = price.error;
  else if (price.minor === null) errors.unitPrice = 'Enter a price (0 for free).';
  const tax = draft.taxRatePercent.trim() === '' ? null : parseDecimalInput(draft.taxRatePercent, money.locale, 100);
  if (tax && !tax.ok) errors.taxRatePercent = tax.error;
  if (Object.keys(errors).length > 0 || !quantity.ok || !price.ok || price.minor === null || (tax && !tax.ok)) return { ok: false, errors };
  return {
    ok: true,
    line: {
      description: draft.description.trim(),
      quantity: quantity.value,
      unitPrice: price.minor,
      taxRatePercent: tax ? tax.value : null,
    },
  };
}

/** The discount as the API's input (null for none), or what is wrong with it. */
export function parseDiscountDraft(
  draft: DiscountDraft,
  money: MoneyFormat,
): { readonly ok: true; readonly discount: TQuoteDiscountInput | null } | { readonly ok: false; readonly error: string } {
  if (draft.kind === 'none') return { ok: true, discount: null };
  if (draft.kind === 'percent') {
    const percent = parseDecimalInput(draft.text, money.locale, 100);
    return percent.ok ? { ok: true, discount: { kind: 'percent', percent: percent.value } } : { ok: false, error: percent.error };
  }
  const amount = parseMoneyInput(draft.text, money.currency, money.locale, {
    digits: minorUnitsOf(money.currency),
    max: QUOTE_LIMITS.maxTotal,
    negativeError: 'A discount cannot be negative.',
  });
  if (!amount.ok) return { ok: false, error: amount.error };
  if (amount.minor === null) return { ok: false, error: 'Enter the amount to take off.' };
  return { ok: true, discount: { kind: 'amount', amount: amount.minor } };
}

/** The editor's live totals; a line that does not read yet counts as nothing (and shows no amount). */
export interface QuotePreview {
  /** Per draft line: its net (quantity × price) and tax, or null while it does not read. */
  readonly lines: readonly ({ readonly net: number; readonly tax: number } | null)[];
  readonly subtotal: number;
  readonly discount: number;
  readonly tax: number;
  readonly total: number;
  /** The sums pass the largest total a quote may have. */
  readonly isTooLarge: boolean;
}

export function previewQuote(drafts: readonly LineDraft[], discount: DiscountDraft, money: MoneyFormat): QuotePreview {
  const parsed = drafts.map((draft) => parseLineDraft(draft, money));
  const valid = parsed.flatMap((result, index) => (result.ok ? [{ index, line: result.line }] : []));
  const discountInput = parseDiscountDraft(discount, money);
  try {
    const computed = computeQuote(
      valid.map(({ line }) => ({ ...line, taxRatePercent: line.taxRatePercent ?? null })),
      discountInput.ok ? discountInput.discount : null,
    );
    const lines = drafts.map((_, index) => {
      const at = valid.findIndex((entry) => entry.index === index);
      const line = at === -1 ? undefined : computed.lines[at];
      return line ? { net: line.net, tax: line.tax } : null;
    });
    return { lines, subtotal: computed.subtotal, discount: computed.discount, tax: computed.tax, total: computed.total, isTooLarge: false };
  } catch (error) {
    if (!(error instanceof QuoteTotalTooLarge)) throw error;
    return { lines: drafts.map(() => null), subtotal: 0, discount: 0, tax: 0, total: 0, isTooLarge: true };
  }
}

/** The lines with the one at `index` moved by `step` (−1 up, +1 down); unchanged at either end. */
export function moveLine<T>(lines: readonly T[], index: number, step: -1 | 1): T[] {
  const target = index + step;
  if (index < 0 || index >= lines.length || target < 0 || target >= lines.length) return [...lines];
  const next = [...lines];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
