import { describe, expect, it } from 'vitest';
import { decimalTextOf, formatQuoteDate, formatQuoteDecimal, formatQuoteMoney as formatWithNbsp } from './quote-format.js';

/** Intl separates a currency code or symbol with a no-break space; the expectations use a plain one. */
const formatQuoteMoney = (minor: number, currency: string, locale: string) =>
  formatWithNbsp(minor, currency, locale).replace(/\u00a0/g, ' ');

describe('quote formats', () => {
  it('writes minor units with the currency’s ISO 4217 decimals in the organisation’s locale', () => {
    expect(formatQuoteMoney(123_450, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatQuoteMoney(4_500, 'JPY', 'en-US')).toBe('¥4,500');
    expect(formatQuoteMoney(1_250, 'BHD', 'en-US')).toBe('BHD 1.250');
    expect(formatQuoteMoney(123_450, 'EUR', 'de-DE')).toBe('1.234,50 €');
    // IQD has 3 decimals by ISO 4217, though CLDR shows it without any.
    expect(formatQuoteMoney(1_500, 'IQD', 'en-US')).toBe('IQD 1.500');
  });

  it('never loses a minor unit to floating point, however large', () => {
    expect(decimalTextOf(9_999_999_999_999, 2)).toBe('99999999999.99');
    expect(formatQuoteMoney(9_999_999_999_999, 'USD', 'en-US')).toBe('$99,999,999,999.99');
    expect(decimalTextOf(-5, 2)).toBe('-0.05');
    expect(decimalTextOf(7, 0)).toBe('7');
  });

  it('writes quantities and rates as the locale writes numbers', () => {
    expect(formatQuoteDecimal('1.5', 'de-DE')).toBe('1,5');
    expect(formatQuoteDecimal('8.25', 'en-US')).toBe('8.25');
    expect(formatQuoteDecimal('1000', 'en-US')).toBe('1,000');
  });

  it('writes a date without a time as that day, whatever the zone', () => {
    expect(formatQuoteDate('2026-03-14', 'en-US')).toBe('Mar 14, 2026');
    expect(formatQuoteDate('2026-01-01', 'de-DE')).toBe('01.01.2026');
  });
});
