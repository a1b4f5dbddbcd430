import { safeLocale } from './money.js';

/** A calendar date (stored as UTC midnight) in the organisation's locale: "5 December 2026". */
export function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** An instant in the organisation's locale, in UTC so every reader sees the same time: "5 December 2026 at 14:03:11 UTC". */
export function formatInstantUtc(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** A status word as a label: "changes_requested" → "Changes requested". */
export function statusLabel(status: string): string {
  const words = status.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
