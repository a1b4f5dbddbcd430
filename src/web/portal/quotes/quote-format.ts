import { minorUnitsOf } from '../../../features/quotes/quote.schemas.js';

/**
 * Pure formatting for the quote screens: money in the quote's own currency and the organisation's
 * locale, the valid-until date, the confirmation sentence and the content hash. Kept free of React
 * so each rule is unit-tested (quote-format.test.ts).
 */

/** A locale Intl accepts: the organisation's, else English, so a bad setting never breaks a page. */
function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** `minor` as exact decimal text ("-1234.560" for -1234560 with 3 digits): no float rounding on the way. */
function decimalText(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const units = BigInt(Math.abs(Math.trunc(minor)))
    .toString()
    .padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${units}`;
  return `${sign}${units.slice(0, units.length - digits)}.${units.slice(units.length - digits)}`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale: string): Intl.NumberFormat {
  const digits = minorUnitsOf(currency);
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const options = { minimumFractionDigits: digits, maximumFractionDigits: digits };
    try {
      format = new Intl.NumberFormat(safeLocale(locale), { ...options, style: 'currency', currency: currency.toUpperCase() });
    } catch {
      // Not a currency Intl knows: the amount still shows, followed by the code as stored.
      format = new Intl.NumberFormat(safeLocale(locale), options);
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/**
 * An amount in integer minor units as the organisation writes it, with the currency's own number
 * of decimals from ISO 4217: "$1,234.00", "¥123,457", "BHD 1.234", "1.234,50 €".
 */
export function formatQuoteMoney(minor: number, currency: string, locale: string): string {
  const format = moneyFormat(currency, locale);
  // Intl formats decimal strings exactly (no detour through a float).
  const text = format.format(decimalText(minor, minorUnitsOf(currency)) as `${number}`);
  return format.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

/** Decimal text from the contract ("1.5", "8.25") as the locale writes numbers, up to 3 decimals. */
export function formatQuantity(text: string, locale: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  return new Intl.NumberFormat(safeLocale(locale), { maximumFractionDigits: 3 }).format(text as `${number}`);
}

/** A tax rate or discount percentage ("8.25") as "8.25%" / "8,25 %" in the locale. */
export function formatPercent(text: string, locale: string): string {
  if (!/^\d+(\.\d+)?$/.test(text)) return `${text}%`;
  const fraction = `${(Number.parseFloat(text) / 100).toFixed(5)}`;
  return new Intl.NumberFormat(safeLocale(locale), { style: 'percent', maximumFractionDigits: 3 }).format(fraction as `${number}`);
}

/**
 * A date without a time (`YYYY-MM-DD`, already the organisation's calendar day) written in its
 * locale: "12 May 2027" (en-GB), "May 12, 2027" (en-US). Formatted at UTC noon in UTC, so no
 * browser time zone can move it to the day before.
 */
export function formatQuoteDate(date: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12);
  return new Intl.DateTimeFormat(safeLocale(locale), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

/** "Valid until 12 May 2027", or that there is no end date. */
export function validUntilText(date: string | null, locale: string): string {
  return date ? `Valid until ${formatQuoteDate(date, locale)}` : 'No end date';
}

/** The sentence the customer confirms, exactly as the issue words it: "I accept quote Q-12 (v2) for $1,234.00". */
export function confirmationSentence(
  quote: { readonly number: string; readonly version: number; readonly total: { readonly amount: number; readonly currency: string } },
  locale: string,
): string {
  return `I accept quote ${quote.number} (v${quote.version}) for ${formatQuoteMoney(quote.total.amount, quote.total.currency, locale)}`;
}

/** A SHA-256 in hex, shortened for reading ("3f2a9c1d…b7e04a11"); the full one is offered to copy. */
export function shortHash(hash: string): string {
  return hash.length <= 20 ? hash : `${hash.slice(0, 8)}…${hash.slice(-8)}`;
}

const MOMENT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * "12 May 2027, 14:05 CEST" in the organisation's time zone and locale (an acceptance, a decline),
 * with the zone named, as the PDF's audit trail has it.
 */
export function formatQuoteMoment(iso: string, timeZone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(safeLocale(locale), { ...MOMENT, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(safeLocale(locale), MOMENT).format(new Date(iso));
  }
}

/** Whether a typed signature matches the signer's name (what the server requires). */
export function typedSignatureMatches(typed: string, signerName: string): boolean {
  const normalise = (text: string) => text.trim().replace(/\s+/g, ' ');
  return normalise(typed) !== '' && normalise(typed) === normalise(signerName);
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone ("sent on" in the organisation's calendar). */
export function dayIn(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}
