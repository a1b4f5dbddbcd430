/**
 * A charge typed in major units ("125", "125.50", "1,250.00"; "1.250,50" in a German locale) in
 * the organisation's locale, checked against the currency's minor digits (2 for USD, 0 for JPY,
 * 3 for KWD, as Intl knows them) and sent to the API as integer minor units.
 */
export const MAX_MINOR_UNITS = 1_000_000_000;

export function minorDigitsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

function separatorsOf(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

export type MoneyParse = { readonly ok: true; readonly minor: number | null } | { readonly ok: false; readonly error: string };

export interface MoneyInputOptions {
  /** The currency's minor digits when the caller knows them better than Intl (quotes use ISO 4217's). */
  readonly digits?: number;
  /** The largest amount in minor units (default MAX_MINOR_UNITS). */
  readonly max?: number;
  /** What a negative amount is told (default: about a charge). */
  readonly negativeError?: string;
}

/** The amount in minor units; empty text is "no charge" (`minor: null`). */
export function parseMoneyInput(text: string, currency: string, locale: string, options: MoneyInputOptions = {}): MoneyParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, minor: null };
  const digits = options.digits ?? minorDigitsOf(currency);
  const { decimal, group } = separatorsOf(locale);
  // Group separators (and the spaces some locales use for them) are only for reading.
  let cleaned = trimmed.replace(/[\s\u00a0\u202f]/g, '');
  if (group !== decimal) cleaned = cleaned.split(group).join('');
  // A point typed where the locale writes a comma (and nothing else ambiguous) still means decimals.
  if (decimal !== '.' && !cleaned.includes(decimal) && /^\d*\.\d+$/.test(cleaned) && group !== '.') cleaned = cleaned.replace('.', decimal);
  if (cleaned.startsWith('-')) return { ok: false, error: options.negativeError ?? 'A charge cannot be negative.' };
  const [whole = '', fraction = '', ...rest] = cleaned.split(decimal);
  if (rest.length > 0 || !/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || (whole === '' && fraction === '')) {
    return { ok: false, error: `Enter an amount like ${exampleOf(currency, locale, digits)}.` };
  }
  if (fraction.length > digits) {
    return {
      ok: false,
      error: digits === 0 ? `${currency} amounts have no decimals.` : `Use at most ${digits} decimal places for ${currency}.`,
    };
  }
  const minor = Number(whole || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > (options.max ?? MAX_MINOR_UNITS)) return { ok: false, error: 'That amount is too large.' };
  return { ok: true, minor };
}

/** Minor units as the input shows them: "125.50" (no grouping, the locale's decimal mark). */
export function formatMoneyInput(minor: number, currency: string, locale: string, digits = minorDigitsOf(currency)): string {
  return new Intl.NumberFormat(locale, { useGrouping: false, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    minor / 10 ** digits,
  );
}

function exampleOf(currency: string, locale: string, digits: number): string {
  return formatMoneyInput(125 * 10 ** digits + (digits >= 2 ? 50 * 10 ** (digits - 2) : 0), currency, locale, digits);
}
