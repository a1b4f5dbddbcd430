/**
 * Number and date formatting for the web apps. Everything is written in the organisation's locale
 * (so a page reads the same way throughout) and in the BROWSER's time zone: a customer reads
 * "Tuesday 9:00" as their own Tuesday morning. Formatters are cached because building an Intl
 * object is far slower than using one, and lists format hundreds of values.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown currency code: still show the amount, with the code spelled out.
      format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'XXX', currencyDisplay: 'code' });
    }
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * An amount in integer minor units (cents, pence, yen) in its own currency: the number of minor
 * digits is the currency's (2 for USD, 0 for JPY, 3 for KWD), as Intl knows it.
 */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const format = currencyFormat(locale, currency);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** "Mar 14, 2026, 9:05 AM": the full moment, for titles and timelines. */
export function formatDateTime(iso: string, locale: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "Tue, Mar 14, 9:00 AM" — a visit; the year only when it is not this year. */
export function formatScheduled(iso: string, locale: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const sameYear = date.getFullYear() === now.getFullYear();
  return dateFormat(locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "2 hours ago", "yesterday", "just now"; the largest unit that fits. */
export function formatRelative(iso: string, locale: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

const SIZE_UNITS: readonly [Intl.NumberFormatOptions['unit'], number, number][] = [
  ['megabyte', 1024 * 1024, 1],
  ['kilobyte', 1024, 0],
  ['byte', 1, 0],
];

/** "2.4 MB", "340 kB", "12 bytes": a file's size the way the limits state it (1 MB = 1,048,576 bytes). */
export function formatFileSize(bytes: number, locale: string): string {
  const [unit, size, digits] = SIZE_UNITS.find(([, size]) => bytes >= size) ?? SIZE_UNITS[SIZE_UNITS.length - 1]!;
  const key = `${locale}|size|${unit}`;
  let format = numberFormats.get(key);
  if (!format) {
    // "12 byte" is what the short form says in English; the long one reads right.
    format = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit,
      unitDisplay: unit === 'byte' ? 'long' : 'short',
      maximumFractionDigits: digits,
    });
    numberFormats.set(key, format);
  }
  return format.format(bytes / size);
}
