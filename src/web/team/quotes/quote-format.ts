import { minorUnitsOf } from '../../../features/quotes/quote.schemas.js';

/**
 * Quote amounts as the organisation writes them. The number of decimals is the currency's ISO 4217
 * minor unit (0 for JPY, 2 for USD, 3 for BHD) — the same rule the server and the PDF use, which is
 * not always what Intl's CLDR data says — and the amount is handed to Intl as exact decimal text,
 * so no floating-point division ever rounds a large total.
 */

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const digits = minorUnitsOf(currency);
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      format = new Intl.NumberFormat('en', { style: 'currency', currency: 'XXX', currencyDisplay: 'code', minimumFractionDigits: digits });
    }
    formats.set(key, format);
  }
  return format;
}

/** `minor` as exact decimal text: 123456 with 2 digits → "1234.56"; -5 → "-0.05". */
export function decimalTextOf(minor: number, digits: number): `${number}` {
  const sign = minor < 0 ? '-' : '';
  const units = BigInt(Math.abs(Math.trunc(minor)))
    .toString()
    .padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits);
  const fraction = units.slice(units.length - digits);
  return `${sign}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
}

/** "$1,234.50", "¥4,500", "BHD 1.250" — minor units in the organisation's locale. */
export function formatQuoteMoney(minor: number, currency: string, locale: string): string {
  return currencyFormat(locale, currency).format(decimalTextOf(minor, minorUnitsOf(currency)));
}

/** Decimal text ("1.5", "8.25") as the locale writes numbers ("1,5" in German), up to 3 decimals. */
export function formatQuoteDecimal(text: string, locale: string): string {
  if (!/^\d+(\.\d+)?$/.test(text)) return text;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(text as `${number}`);
}

/** A date without a time ("2026-03-14", valid until) as the locale writes it: "Mar 14, 2026". No zone shifts it. */
export function formatQuoteDate(date: string, locale: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
