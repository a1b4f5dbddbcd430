/**
 * Money and number text for the quote PDF. Amounts are integer minor units of an ISO 4217
 * currency; the number of minor units comes from ISO 4217 (not from CLDR, which rounds some
 * currencies, e.g. IQD, to whole units for display), so what is stored is what is printed.
 */

/** ISO 4217 currencies whose minor unit is not 2 (the default). */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** The number of decimals of a currency's minor unit: 0 for JPY, 2 for USD, 3 for BHD. */
export function minorUnitsOf(currency: string): number {
  return MINOR_UNITS[currency.toUpperCase()] ?? 2;
}

/** `minor` as exact decimal text ("-1234.560" for -1234560 with 3 digits), so no float rounding creeps in. */
function decimalText(minor: number, digits: number): `${number}` {
  const sign = minor < 0 ? '-' : '';
  const units = BigInt(Math.abs(Math.trunc(minor)))
    .toString()
    .padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits);
  const fraction = units.slice(units.length - digits);
  return `${sign}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
}

/** A locale Intl accepts: the organisation's, else English, so a bad setting never breaks a PDF. */
export function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** An amount in minor units as the organisation's locale writes it: "$1,234.00", "¥123,457", "BHD 1.234". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorUnitsOf(currency);
  const format = new Intl.NumberFormat(safeLocale(locale), {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(decimalText(minor, digits));
}

/** Decimal text ("1.5", "8.25") as the locale writes numbers, keeping up to 3 decimals. */
export function formatDecimal(text: string, locale: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  return new Intl.NumberFormat(safeLocale(locale), { maximumFractionDigits: 3 }).format(text as `${number}`);
}
