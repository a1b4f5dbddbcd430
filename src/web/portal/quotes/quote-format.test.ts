import { describe, expect, it } from 'vitest';
import {
  confirmationSentence,
  dayIn,
  formatPercent,
  formatQuantity,
  formatQuoteDate,
  formatQuoteMoment,
  formatQuoteMoney,
  shortHash,
  typedSignatureMatches,
  validUntilText,
} from './quote-format.js';

// Intl writes a narrow no-break space in some locales; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatQuoteMoney', () => {
  it('writes minor units with the currency’s own decimals', () => {
    expect(formatQuoteMoney(123_400, 'USD', 'en-US')).toBe('$1,234.00');
    expect(formatQuoteMoney(123_457, 'JPY', 'en-US')).toBe('¥123,457');
    expect(plain(formatQuoteMoney(1_234, 'BHD', 'en-US'))).toBe('BHD 1.234');
    expect(formatQuoteMoney(5, 'USD', 'en-US')).toBe('$0.05');
  });

  it('follows the organisation’s locale', () => {
    expect(plain(formatQuoteMoney(123_450, 'EUR', 'de-DE'))).toBe('1.234,50 €');
    expect(formatQuoteMoney(123_400, 'GBP', 'en-GB')).toBe('£1,234.00');
  });

  it('keeps large amounts exact and writes negatives (a discount)', () => {
    expect(formatQuoteMoney(9_999_999_999_999, 'USD', 'en-US')).toBe('$99,999,999,999.99');
    expect(formatQuoteMoney(-2_500, 'USD', 'en-US')).toBe('-$25.00');
  });

  it('still shows an amount in a currency Intl does not know, or with a broken locale', () => {
    expect(formatQuoteMoney(1_000, 'ZZ', 'en-US')).toBe('10.00 ZZ');
    expect(formatQuoteMoney(1_000, 'USD', 'not a locale!')).toBe('$10.00');
  });
});

describe('the confirmation sentence', () => {
  it('reads exactly as the issue words it', () => {
    expect(confirmationSentence({ number: 'Q-12', version: 2, total: { amount: 123_400, currency: 'USD' } }, 'en-US')).toBe(
      'I accept quote Q-12 (v2) for $1,234.00',
    );
    expect(confirmationSentence({ number: 'Q-7', version: 1, total: { amount: 4_500, currency: 'JPY' } }, 'ja-JP')).toBe(
      'I accept quote Q-7 (v1) for ￥4,500',
    );
  });
});

describe('dates', () => {
  it('writes a valid-until date as the calendar day it is, in the locale', () => {
    expect(formatQuoteDate('2027-05-12', 'en-GB')).toBe('12 May 2027');
    expect(formatQuoteDate('2027-05-12', 'en-US')).toBe('May 12, 2027');
    expect(validUntilText('2027-05-12', 'en-GB')).toBe('Valid until 12 May 2027');
    expect(validUntilText(null, 'en-GB')).toBe('No end date');
    expect(formatQuoteDate('soon', 'en-GB')).toBe('soon');
  });

  it('writes a moment on the organisation’s clock', () => {
    const iso = '2027-05-12T23:30:00.000Z';
    expect(plain(formatQuoteMoment(iso, 'America/Chicago', 'en-US'))).toBe('May 12, 2027 at 6:30 PM CDT');
    expect(formatQuoteMoment(iso, 'Europe/Berlin', 'en-GB')).toBe('13 May 2027 at 01:30 CEST');
  });

  it('finds the calendar day of a moment in the organisation’s zone', () => {
    expect(dayIn('2027-05-12T23:30:00.000Z', 'America/Chicago')).toBe('2027-05-12');
    expect(dayIn('2027-05-12T23:30:00.000Z', 'Europe/Berlin')).toBe('2027-05-13');
  });
});

describe('numbers on a line', () => {
  it('writes quantities and rates in the locale', () => {
    expect(formatQuantity('1.5', 'de-DE')).toBe('1,5');
    expect(formatQuantity('1200', 'en-US')).toBe('1,200');
    expect(formatPercent('8.25', 'en-US')).toBe('8.25%');
    expect(plain(formatPercent('19', 'de-DE'))).toBe('19 %');
  });
});

describe('shortHash and typed signatures', () => {
  it('shortens a SHA-256 to its ends', () => {
    const hash = 'a'.repeat(8) + '0'.repeat(48) + 'b'.repeat(8);
    expect(shortHash(hash)).toBe('aaaaaaaa…bbbbbbbb');
    expect(shortHash('abc')).toBe('abc');
  });

  it('accepts a typed name only when it is the signer’s name', () => {
    expect(typedSignatureMatches('  Jordan  Rivera ', 'Jordan Rivera')).toBe(true);
    expect(typedSignatureMatches('Jordan', 'Jordan Rivera')).toBe(false);
    expect(typedSignatureMatches('', '')).toBe(false);
  });
});
